namespace Jobs.Api.Http;

/// <summary>
/// The <c>type</c> URIs of our problem details: OGC exception types where OGC defines one,
/// otherwise our own <c>urn:jobs:…</c> types (listed in the README).
/// </summary>
public static class ProblemTypes
{
    private const string Ogc = "http://www.opengis.net/def/exceptions/ogcapi-processes-1/1.0/";

    public const string NoSuchProcess = Ogc + "no-such-process";
    public const string NoSuchJob = Ogc + "no-such-job";
    public const string ResultNotReady = Ogc + "result-not-ready";

    /// <summary>OGC API - Processes Part 2: deploying an id and version that exist.</summary>
    public const string DuplicatedProcess = "http://www.opengis.net/def/exceptions/ogcapi-processes-2/1.0/duplicated-process";

    public const string InvalidRequest = "urn:jobs:invalid-request";
    public const string InvalidUpdateToken = "urn:jobs:invalid-update-token";
    public const string PayloadTooLarge = "urn:jobs:payload-too-large";
    public const string JobFailed = "urn:jobs:job-failed";
    public const string JobDismissed = "urn:jobs:job-dismissed";
    public const string JobFinished = "urn:jobs:job-finished";
    public const string IdempotencyKeyReused = "urn:jobs:idempotency-key-reused";
    public const string StoreUnavailable = "urn:jobs:store-unavailable";
    public const string ServerError = "urn:jobs:server-error";
    public const string Unauthenticated = "urn:jobs:unauthenticated";
    public const string Forbidden = "urn:jobs:forbidden";
    public const string RemoteAnonymous = "urn:jobs:anonymous-remote-refused";
    public const string UnsupportedMediaType = "urn:jobs:unsupported-media-type";
    public const string TooManyRequests = "urn:jobs:too-many-requests";
    public const string NotImplemented = "urn:jobs:not-implemented";
    public const string NoSuchSubscription = "urn:jobs:no-such-subscription";
}
