namespace Jobs.Api.Endpoints.Es;

/// <summary>The services and middleware of <c>/es</c>; its routes are in <see cref="EsApi"/>.</summary>
public static class EsSurfaceExtensions
{
    public static IServiceCollection AddEsSurface(this IServiceCollection services)
    {
        services.AddOptions<EsOptions>().BindConfiguration(EsOptions.SectionName)
            .Validate(o => !string.IsNullOrWhiteSpace(o.ClusterName), "Jobs:Es:ClusterName must not be empty.")
            .ValidateOnStart();
        services.AddSingleton<EsCluster>();
        services.AddSingleton<FieldTypesCache>();

        // gzip, deflate and br request bodies (the .NET client compresses by default).
        services.AddRequestDecompression();
        return services;
    }

    /// <summary>
    /// For requests under <c>/es</c>: <c>X-Elastic-Product: Elasticsearch</c> on every answer
    /// (the official clients refuse an answer without it; set when the answer starts, so errors,
    /// CORS preflights and the exception handler's answers carry it too) and request
    /// decompression. Call before <c>UseCors</c>.
    /// </summary>
    public static IApplicationBuilder UseEsSurface(this IApplicationBuilder app) =>
        app.UseWhen(context => context.Request.Path.StartsWithSegments(EsApi.BasePath), es =>
        {
            es.Use((context, next) =>
            {
                context.Response.OnStarting(() =>
                {
                    context.Response.Headers["X-Elastic-Product"] = "Elasticsearch";
                    return Task.CompletedTask;
                });
                return next(context);
            });
            es.UseRequestDecompression();
        });
}
