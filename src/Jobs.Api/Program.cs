using Jobs.Api;
using Jobs.Api.Endpoints;
using Jobs.Api.Http;
using Jobs.Hosting;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);

// The store: embedded Lucene index under ./data unless Jobs__Store says otherwise.
builder.Services.AddJobStore(builder.Configuration);

// HTTP concerns: options, JSON, problem details, CORS, OpenAPI.
builder.Services.AddJobsApi(builder.Configuration);

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseDotSegmentGuard();
app.UseCors(ApiServiceCollectionExtensions.CorsPolicy);

// OGC API - Processes, the seed's WPS-T paths, worker updates and Elasticsearch-compatible search.
app.MapLanding();
app.MapProcesses();
app.MapExecute();
app.MapSearch();
app.MapJobs();
app.MapHealth();

// The API definition and browser.
app.MapOpenApi("/openapi/{documentName}.json");
app.MapScalarApiReference("/docs", options => options.WithOpenApiRoutePattern("/openapi/{documentName}.json"));

app.Run();

/// <summary>The API host; public so tests can start it with WebApplicationFactory.</summary>
public partial class Program;
