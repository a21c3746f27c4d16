using Jobs.Api;
using Jobs.Api.Endpoints;
using Jobs.Api.Endpoints.Es;
using Jobs.Api.Http;
using Jobs.Api.Identity;
using Jobs.Api.Notifications;
using Jobs.Dispatch;
using Jobs.Api.Ui;
using Jobs.Hosting;
using Scalar.AspNetCore;

// `new-api-key`: print a key and its configuration lines, then exit (no server).
if (args is [NewApiKeyCommand.Name, .. var keyArgs])
{
    return NewApiKeyCommand.Run(keyArgs, Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(args);

// http://localhost:5001 unless ASPNETCORE_URLS, --urls or Kestrel settings say otherwise.
builder.ListenByDefaultOn("http://localhost:5001");

// Health checks and OpenTelemetry, the same on every host.
builder.AddServiceDefaults("jobs-api");

// The store: embedded Lucene index under ./data unless Jobs__Store says otherwise.
builder.Services.AddJobStore(builder.Configuration);

// HTTP concerns: options, JSON, problem details, CORS, OpenAPI.
builder.Services.AddJobsApi(builder.Configuration);

// Who calls: JWT bearer, API keys, or the local anonymous administrator; who may do what.
builder.Services.AddJobsIdentity(builder.Configuration);
builder.Services.AddJobsRateLimits();

// What runs a new job: nothing (default), a webhook, an SNS topic, or cwltool here (Jobs__Dispatch__Mode).
builder.Services.AddJobDispatch(builder.Configuration, ListeningUrl.Of);

// Job events out: subscriptions, webhook and e-mail deliveries, stalled-job detection.
builder.Services.AddApiNotifications(builder.Configuration);

// The Elasticsearch-compatible endpoint at /es (official clients, Elasticvue).
builder.Services.AddEsSurface();

// The jobs page at /ui (static files embedded in this assembly).
builder.Services.AddJobsUi();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseDotSegmentGuard();
app.UseEsSurface();
app.UseRouting();
app.UseCors(ApiServiceCollectionExtensions.CorsPolicy);
app.UseMiddleware<BrowserSafety>();
app.UseJobsUi();
app.UseJobsIdentity();

// OGC API - Processes, the seed's WPS-T paths, worker updates and Elasticsearch-compatible search.
app.MapLanding();
app.MapProcesses();
app.MapExecute();
app.MapSearch();
app.MapEs();
app.MapJobs();
app.MapEvents();
app.MapSubscriptions();
app.MapNotifier();
app.MapDefaultEndpoints();
app.MapUi();

// The API definition and browser (public, like the landing page).
app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
app.MapScalarApiReference("/docs", options => options.WithOpenApiRoutePattern("/openapi/{documentName}.json")).AllowAnonymous();

app.Run();
return 0;

/// <summary>The API host; public so tests can start it with WebApplicationFactory.</summary>
public partial class Program;
