using Jobs.Hosting;
using Jobs.UpdatesFunction;
using Jobs.UpdatesFunction.Consumer;
using Jobs.UpdatesFunction.Lambda;

var builder = WebApplication.CreateBuilder(args);

// Health checks and OpenTelemetry (with the consumer's own meter), the same on every host.
builder.AddServiceDefaults("jobs-updates", UpdateMetrics.MeterName);

// The job store named by Jobs:Store (embedded Lucene index by default, or Elasticsearch).
builder.Services.AddJobStore(builder.Configuration);

// The consumer core, its metrics, and the SQS poller when Jobs:Updates:QueueUrl is set.
builder.Services.AddUpdateConsumer(builder.Configuration);

var app = builder.Build();

// Lambda (Web Adapter): SQS events arrive as POST /events.
app.MapEvents();

// GET /health (the store can take updates) and /health/live (the adapter's readiness check).
app.MapDefaultEndpoints();

app.Run();

/// <summary>The entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
