namespace Jobs.Elasticsearch;

/// <summary>
/// Settings of the Elasticsearch / OpenSearch store, section <c>Jobs:Elasticsearch</c>
/// (environment: <c>Jobs__Elasticsearch__Url</c>, …). Every setting is described in
/// <c>docs/elasticsearch.md</c>.
/// </summary>
/// <example>
/// <code>
/// "Jobs": {
///   "Store": "elasticsearch",
///   "Elasticsearch": { "Url": "https://search-jobs.us-west-2.es.amazonaws.com", "Auth": "SigV4" }
/// }
/// </code>
/// </example>
public sealed class ElasticsearchOptions
{
    public const string SectionName = "Jobs:Elasticsearch";

    /// <summary>
    /// The cluster's base URL, <c>http(s)://host:port</c> (a path prefix is kept). This or
    /// <see cref="Urls"/> is required.
    /// </summary>
    public string? Url { get; set; }

    /// <summary>
    /// Several nodes of the cluster (<c>Jobs__Elasticsearch__Urls__0</c>, <c>…__1</c>, …), all
    /// http or all https, taken with <see cref="Url"/>: requests go to them in turn, and a node
    /// that fails is left out for a while and the request sent to the next.
    /// </summary>
    public string[] Urls { get; set; } = [];

    /// <summary>
    /// Prepended to every index and alias name (<c>{prefix}jobs</c>, <c>{prefix}job-events</c>,
    /// <c>{prefix}processes</c>): several deployments, or test runs, can share one cluster.
    /// </summary>
    public string IndexPrefix { get; set; } = "";

    /// <summary>How requests authenticate. Null: <c>ApiKey</c> when an API key is set, <c>Basic</c> when a user name is, else none.</summary>
    public ElasticsearchAuth? Auth { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>An Elasticsearch API key: the <c>encoded</c> value (base64 of <c>id:api_key</c>).</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Region for SigV4 signing. Null: <c>AWS_REGION</c> / <c>AWS_DEFAULT_REGION</c>, else the region
    /// in an Amazon OpenSearch Service host name (<c>search-x.us-west-2.es.amazonaws.com</c>).
    /// </summary>
    public string? AwsRegion { get; set; }

    /// <summary>SigV4 service name: <c>es</c> for Amazon OpenSearch Service domains, <c>aoss</c> for Serverless.</summary>
    public string AwsService { get; set; } = "es";

    /// <summary>A PEM file of certificate authorities to trust for the cluster's TLS certificate (besides the system's).</summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>Time limit of one attempt of one request on one node.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Retries of a request (0: none): with one node, on that node after a 429, 502, 503, 504, a
    /// connection failure or a time-out; with several, on the next node after any of those but
    /// 429, which the same node retries.
    /// </summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>First retry delay; it doubles with each retry, with jitter.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often an update batch re-reads and re-writes jobs that another writer changed meanwhile.</summary>
    public int MaxConflictRetries { get; set; } = 5;

    /// <summary>
    /// How long a job event may stay unpublished in its job's outbox before the sweep publishes
    /// it (its writer publishes it at once; this covers a crash or an unavailable queue).
    /// </summary>
    public TimeSpan OutboxGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest <c>_bulk</c> body sent at once; bigger batches are split (Amazon OpenSearch Service takes 10 MiB on small instances).</summary>
    public int MaxBulkBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>Create the indices and aliases when they are missing (off: only verify them).</summary>
    public bool CreateIndices { get; set; } = true;

    public int NumberOfShards { get; set; } = 1;

    /// <summary>Null: the cluster's default (1). A single-node cluster is green only with 0.</summary>
    public int? NumberOfReplicas { get; set; }
}

/// <summary>How the store authenticates to the cluster.</summary>
public enum ElasticsearchAuth
{
    None,

    /// <summary><c>Authorization: Basic</c> with <see cref="ElasticsearchOptions.Username"/> and <see cref="ElasticsearchOptions.Password"/>.</summary>
    Basic,

    /// <summary><c>Authorization: ApiKey</c> with <see cref="ElasticsearchOptions.ApiKey"/> (Elasticsearch).</summary>
    ApiKey,

    /// <summary>AWS Signature Version 4 with the AWS SDK's default credential chain (Amazon OpenSearch Service).</summary>
    SigV4,
}
