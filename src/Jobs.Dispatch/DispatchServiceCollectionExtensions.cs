using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Jobs.Aws;
using Jobs.Core.Dispatch;
using Jobs.Dispatch.Local;
using Jobs.Dispatch.Remote;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Jobs.Dispatch;

public static class DispatchServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IJobDispatcher"/> and <see cref="IUpdateTokenSource"/> for
    /// <c>Jobs:Dispatch:Mode</c>: <c>none</c> keeps random tokens and dispatches nothing; the other
    /// modes derive tokens, run their dispatcher and the sweep as hosted services.
    /// </summary>
    /// <param name="listeningUrl">The host's own base URL, the default of <see cref="DispatchOptions.ApiUrl"/>.</param>
    public static IServiceCollection AddJobDispatch(this IServiceCollection services, IConfiguration configuration, Func<IServiceProvider, string?> listeningUrl)
    {
        services.AddOptions<DispatchOptions>().BindConfiguration(DispatchOptions.SectionName)
            .Validate(o => DispatchModes.All.Contains(o.Mode, StringComparer.OrdinalIgnoreCase), $"Jobs:Dispatch:Mode must be one of {string.Join(", ", DispatchModes.All)}.")
            .Validate(o => !Is(o, DispatchModes.Webhook) || (Uri.TryCreate(o.Url, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"),
                "Jobs:Dispatch:Url must be an absolute http(s) URL with Mode=webhook.")
            .Validate(o => !Is(o, DispatchModes.Webhook) || !string.IsNullOrEmpty(o.Secret), "Jobs:Dispatch:Secret (the webhook's HMAC key) is required with Mode=webhook.")
            .Validate(o => !Is(o, DispatchModes.Sns) || (o.TopicArn is not null && (o.Region ?? RegionOf(o.TopicArn)) is not null),
                "Jobs:Dispatch:TopicArn (arn:aws:sns:<region>:<account>:<name>) is required with Mode=sns.")
            .Validate(o => o.MaxAttempts >= 1 && o.Local.MaxParallel >= 1, "Jobs:Dispatch:MaxAttempts and Jobs:Dispatch:Local:MaxParallel must be at least 1.")
            .ValidateOnStart();

        var mode = (configuration[$"{DispatchOptions.SectionName}:Mode"] ?? DispatchModes.None).ToLowerInvariant();
        services.TryAddSingleton(TimeProvider.System);
        if (mode == DispatchModes.None || !DispatchModes.All.Contains(mode))
        {
            services.AddSingleton<IUpdateTokenSource>(RandomUpdateTokens.Instance);
            services.AddSingleton<IJobDispatcher, NoJobDispatcher>();
            return services;
        }

        services.AddSingleton(sp => DerivedUpdateTokens.FromOptions(sp.GetRequiredService<IOptions<DispatchOptions>>().Value));
        services.AddSingleton<IUpdateTokenSource>(sp => sp.GetRequiredService<DerivedUpdateTokens>());
        services.AddSingleton(sp => new DispatchApiUrl(sp.GetRequiredService<IOptions<DispatchOptions>>().Value.ApiUrl, () => listeningUrl(sp)));
        services.AddSingleton<JobReporter>();

        if (mode == DispatchModes.Local)
        {
            services.AddSingleton<LocalRunner>();
        }
        else
        {
            services.AddHttpClient(nameof(RemoteDispatcher), (sp, http) => http.Timeout = Timeout.InfiniteTimeSpan);
            services.AddSingleton<IDispatchTransport>(sp => CreateTransport(sp, mode));
            services.AddSingleton<RemoteDispatcher>();
        }

        services.AddSingleton<IJobDispatcher>(sp => mode == DispatchModes.Local ? sp.GetRequiredService<LocalRunner>() : sp.GetRequiredService<RemoteDispatcher>());
        services.AddSingleton<IPendingDispatches>(sp => (IPendingDispatches)sp.GetRequiredService<IJobDispatcher>());
        services.AddHostedService(sp => (Microsoft.Extensions.Hosting.BackgroundService)sp.GetRequiredService<IJobDispatcher>());
        services.AddSingleton<DispatchSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<DispatchSweeper>());
        return services;
    }

    private static IDispatchTransport CreateTransport(IServiceProvider sp, string mode)
    {
        var options = sp.GetRequiredService<IOptions<DispatchOptions>>().Value;
        var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(RemoteDispatcher));
        var time = sp.GetRequiredService<TimeProvider>();
        if (mode == DispatchModes.Webhook)
        {
            return new WebhookTransport(http, new Uri(options.Url!), options.Secret!, time);
        }

        var region = options.Region ?? RegionOf(options.TopicArn!)!;
        var endpoint = options.EndpointUrl is { } e ? new Uri(e) : SnsPublishClient.DefaultEndpoint(region);

        // Credentials registered by the host (tests) or the SDK's default chain (environment, profile, role).
        var registered = sp.GetService<AWSCredentials>();
        var signer = new SigV4Handler(
            async ct => registered ?? await DefaultAWSCredentialsIdentityResolver.GetCredentialsAsync(), region, "sns", time);
        return new SnsTransport(new SnsPublishClient(http, endpoint, signer), options.TopicArn!);
    }

    private static bool Is(DispatchOptions options, string mode) => string.Equals(options.Mode, mode, StringComparison.OrdinalIgnoreCase);

    /// <summary>The region of <c>arn:aws:sns:&lt;region&gt;:&lt;account&gt;:&lt;name&gt;</c>, or null.</summary>
    private static string? RegionOf(string arn)
    {
        var parts = arn.Split(':');
        return parts.Length >= 6 && parts[0] == "arn" && parts[3].Length > 0 ? parts[3] : null;
    }
}
