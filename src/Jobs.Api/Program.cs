using Jobs.Api;
using Jobs.Api.Endpoints;
using Jobs.Api.Endpoints.Es;
using Jobs.Api.Http;
using Jobs.Hosting;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);

// http://localhost:5001 unless ASPNETCORE_URLS, --urls or Kestrel settings say otherwise.
builder.ListenByDefaultOn("http://localhost:5001");

// Health checks and OpenTelemetry, the same on every host.
builder.AddServiceDefaults("jobs-api");

// The store: embedded Lucene index under ./data unless Jobs__Store says otherwise.
builder.Services.AddJobStore(builder.Configuration);

// HTTP concerns: options, JSON, problem details, CORS, OpenAPI.
builder.Services.AddJobsApi(builder.Configuration);

// The Elasticsearch-compatible endpoint at /es (official clients, Elasticvue).
builder.Services.AddEsSurface();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseDotSegmentGuard();
app.UseEsSurface();
app.UseCors(ApiServiceCollectionExtensions.CorsPolicy);

// OGC API - Processes, the seed's WPS-T paths, worker updates and Elasticsearch-compatible search.
app.MapLanding();
app.MapProcesses();
app.MapExecute();
app.MapSearch();
app.MapEs();
app.MapJobs();
app.MapDefaultEndpoints();

// The API definition and browser.
app.MapOpenApi("/openapi/{documentName}.json");
app.MapScalarApiReference("/docs", options => options.WithOpenApiRoutePattern("/openapi/{documentName}.json"));

app.Run();

/// <summary>The API host; public so tests can start it with WebApplicationFactory.</summary>
public partial class Program;
