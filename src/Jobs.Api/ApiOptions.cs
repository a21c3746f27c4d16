namespace Jobs.Api;

/// <summary>Settings of the HTTP API (section <c>Jobs:Api</c>, e.g. <c>Jobs__Api__MaxRequestBytes</c>).</summary>
public sealed class ApiOptions
{
    public const string SectionName = "Jobs:Api";

    /// <summary>Largest execute or deploy body, in bytes (1 MiB).</summary>
    public int MaxRequestBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest update message body, in bytes (256 KiB, the SNS/SQS limit).</summary>
    public int MaxUpdateBytes { get; set; } = 256 * 1024;

    /// <summary>The user id of the anonymous administrator (no authentication configured), recorded on the jobs it creates.</summary>
    public string AnonymousUser { get; set; } = "anonymous";

    /// <summary>Origins allowed by CORS, comma-separated (<c>*</c> for any); empty (the default) disables CORS.</summary>
    public string CorsOrigins { get; set; } = "";

    /// <summary>
    /// The public base URL used in links and Location headers (e.g. <c>https://jobs.example.org/prod</c>);
    /// when empty, links are built from the request's scheme and host.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Most jobs one page of <c>GET /jobs</c> may return (the <c>limit</c> parameter's maximum).</summary>
    public int MaxJobListLimit { get; set; } = 1000;
}
