using System.Text.Json.Serialization;
using Jobs.Api.Http;
using Jobs.Core.Json;

namespace Jobs.Api;

public static class ApiServiceCollectionExtensions
{
    public const string CorsPolicy = "jobs";

    /// <summary>Options, JSON shapes, problem details, CORS and the OpenAPI document of the HTTP API.</summary>
    public static IServiceCollection AddJobsApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.SectionName)
            .Validate(o => o.MaxRequestBytes > 0 && o.MaxUpdateBytes > 0, "Jobs:Api body limits must be positive.")
            .Validate(o => o.MaxJobListLimit is >= 1 and <= 10000, "Jobs:Api:MaxJobListLimit must be from 1 to 10000.")
            .ValidateOnStart();
        services.AddHttpContextAccessor();
        services.AddSingleton(TimeProvider.System);
        services.AddScoped<RequestContext>();
        services.AddScoped<Identity.JobLookup>();
        services.AddSingleton<IdempotencyGate>();

        services.ConfigureHttpJsonOptions(o =>
        {
            // Responses carry stored documents, which may nest deeper than the default of 64.
            o.SerializerOptions.MaxDepth = JobsJson.MaxDepth;
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            o.SerializerOptions.Converters.Add(new UtcTimestampJsonConverter());
            o.SerializerOptions.Converters.Add(new JobStatusJsonConverter());
        });
        services.AddProblemDetails();
        services.AddExceptionHandler<ExceptionHandling>();

        // CORS is off unless origins are listed; "*" must be listed explicitly, and credentials
        // (cookies) are never allowed: callers authenticate with an Authorization header.
        var origins = (configuration[$"{ApiOptions.SectionName}:CorsOrigins"] ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy =>
        {
            if (origins.Contains("*"))
            {
                policy.AllowAnyOrigin();
            }
            else
            {
                policy.WithOrigins(origins);
            }

            // Browsers may cache a preflight for 10 minutes: Elasticvue sends one before every request.
            policy.AllowAnyHeader().AllowAnyMethod().SetPreflightMaxAge(TimeSpan.FromMinutes(10))
                .WithExposedHeaders("Location", "Link", "Preference-Applied", "Retry-After", "WWW-Authenticate", "X-Elastic-Product");
        }));

        services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Jobs API";
            document.Info.Description = "OGC API - Processes jobs, worker updates, and Elasticsearch-compatible search of the jobs index.";
            return Task.CompletedTask;
        }).AddSecurityRules().AddDocumentRules());
        return services;
    }
}
