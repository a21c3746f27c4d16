namespace Jobs.Infra.Tests.Support;

/// <summary>
/// Environment variables that the deployment files may set besides our own <c>Jobs__…</c>
/// settings, each with what reads it. Anything else they set is read by nobody.
/// </summary>
public static class PlatformVariables
{
    /// <summary>Read by ASP.NET Core's host (both hosts are ASP.NET Core applications).</summary>
    public static readonly IReadOnlyDictionary<string, string> AspNetCore = new Dictionary<string, string>
    {
        ["ASPNETCORE_URLS"] = "Kestrel: the addresses to listen on",
        ["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "the host's forwarded-headers middleware (X-Forwarded-Proto/-For)",
        ["AllowedHosts"] = "the host filtering middleware: the Host names answered",
        ["Authentication__Schemes__Bearer__Authority"] = "the JWT bearer handler (its standard configuration section): the OpenID Connect issuer",
        ["Authentication__Schemes__Bearer__ValidIssuer"] = "the JWT bearer handler: the issuer checked in every token",
        ["Authentication__Schemes__Bearer__ValidAudiences__0"] = "the JWT bearer handler: an audience accepted",
    };

    /// <summary>Read by Lambda and the AWS Lambda Web Adapter (its README's table, v1.0).</summary>
    public static readonly IReadOnlyDictionary<string, string> Lambda = new Dictionary<string, string>
    {
        ["AWS_LAMBDA_EXEC_WRAPPER"] = "Lambda: runs the adapter's /opt/bootstrap before the handler",
        ["AWS_LWA_PORT"] = "Web Adapter: the application's port",
        ["AWS_LWA_READINESS_CHECK_PORT"] = "Web Adapter",
        ["AWS_LWA_READINESS_CHECK_PATH"] = "Web Adapter: polled until the application answers",
        ["AWS_LWA_READINESS_CHECK_PROTOCOL"] = "Web Adapter",
        ["AWS_LWA_READINESS_CHECK_HEALTHY_STATUS"] = "Web Adapter",
        ["AWS_LWA_ASYNC_INIT"] = "Web Adapter",
        ["AWS_LWA_REMOVE_BASE_PATH"] = "Web Adapter",
        ["AWS_LWA_ENABLE_COMPRESSION"] = "Web Adapter",
        ["AWS_LWA_INVOKE_MODE"] = "Web Adapter",
        ["AWS_LWA_PASS_THROUGH_PATH"] = "Web Adapter: where non-HTTP events (SQS) are POSTed",
        ["AWS_LWA_AUTHORIZATION_SOURCE"] = "Web Adapter",
        ["AWS_LWA_ERROR_STATUS_CODES"] = "Web Adapter: these statuses fail the invocation",
        ["AWS_LWA_LAMBDA_RUNTIME_API_PROXY"] = "Web Adapter",
    };

    /// <summary>Read by the AWS SDK's default credential chain (containers; Lambda provides its own).</summary>
    public static readonly IReadOnlyDictionary<string, string> AwsSdkCredentials = new Dictionary<string, string>
    {
        ["AWS_ACCESS_KEY_ID"] = "AWS SDK credential chain",
        ["AWS_SECRET_ACCESS_KEY"] = "AWS SDK credential chain",
    };

    /// <summary>Set by Lambda itself; a function may not set them.</summary>
    public static readonly IReadOnlySet<string> LambdaReserved = new HashSet<string>(StringComparer.Ordinal)
    {
        "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV",
        "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
        "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
        "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
        "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR",
    };
}
