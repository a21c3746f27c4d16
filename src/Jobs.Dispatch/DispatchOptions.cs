namespace Jobs.Dispatch;

/// <summary>How new jobs are dispatched: <c>Jobs:Dispatch</c> (docs/dispatch.md lists every setting).</summary>
public sealed class DispatchOptions
{
    public const string SectionName = "Jobs:Dispatch";

    /// <summary><c>none</c> (default), <c>webhook</c>, <c>sns</c> or <c>local</c>.</summary>
    public string Mode { get; set; } = DispatchModes.None;

    /// <summary>The API's base URL as the workflow should call it (default: the URL the API listens on).</summary>
    public string? ApiUrl { get; set; }

    /// <summary><c>webhook</c>: where the job is POSTed.</summary>
    public string? Url { get; set; }

    /// <summary><c>webhook</c>: the HMAC key of the <c>Jobs-Signature</c> header (required with <c>webhook</c>).</summary>
    public string? Secret { get; set; }

    /// <summary><c>sns</c>: the topic the job is published to.</summary>
    public string? TopicArn { get; set; }

    /// <summary><c>sns</c>: the region (default: the topic ARN's).</summary>
    public string? Region { get; set; }

    /// <summary><c>sns</c>: an endpoint override (LocalStack, a test receiver).</summary>
    public string? EndpointUrl { get; set; }

    /// <summary>Attempts to hand a job to a webhook or SNS before it is failed with <c>dispatch-failed</c>.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The first retry's delay; each next one doubles, with jitter, up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A webhook or SNS call that takes longer has failed (and is retried).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long the execute request waits for its job's webhook or SNS dispatch before it answers
    /// (0: it does not wait). Where nothing runs between requests — AWS Lambda freezes the function
    /// once the answer is sent — a dispatch left to the background would only go out on a later
    /// invocation; template.yaml sets 10 s for the API function. A dispatch still retrying when the
    /// time is up goes on in the background (and the sweep covers it).
    /// </summary>
    public TimeSpan WaitBeforeAnswer { get; set; } = TimeSpan.Zero;

    /// <summary>How often the sweep looks for jobs that were never dispatched (also once at start).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How old an undispatched job must be before the sweep takes it (leaves in-flight creates alone).</summary>
    public TimeSpan SweepAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The key update tokens are derived from (base64, at least 32 bytes). Without it the key is
    /// read from, or created in, <see cref="TokenKeyFile"/>.
    /// </summary>
    public string? TokenKey { get; set; }

    /// <summary>Where the generated token key is kept (default <c>./data/dispatch-token.key</c>).</summary>
    public string TokenKeyFile { get; set; } = Path.Combine("data", "dispatch-token.key");

    public LocalRunnerOptions Local { get; set; } = new();
}

/// <summary><c>Jobs:Dispatch:Local</c>: running CWL with cwltool on this machine.</summary>
public sealed class LocalRunnerOptions
{
    /// <summary>Workflows run at once; the others wait, <c>accepted</c>, in a queue.</summary>
    public int MaxParallel { get; set; } = 2;

    /// <summary>The cwltool executable.</summary>
    public string Cwltool { get; set; } = "cwltool";

    /// <summary>Arguments before the workflow (default <c>--no-container</c>: tools run on this machine's PATH).</summary>
    public List<string> Arguments { get; set; } = [];

    /// <summary>When true (the default) <c>--no-container</c> is added, so DockerRequirement hints are ignored.</summary>
    public bool NoContainer { get; set; } = true;

    /// <summary>What relative execution-unit paths are resolved against (default: the API's working directory).</summary>
    public string? BaseDirectory { get; set; }

    /// <summary>Each job runs in <c>&lt;WorkPath&gt;/&lt;job id&gt;</c> (inputs, cwltool's log, outputs under <c>outputs/</c>).</summary>
    public string WorkPath { get; set; } = Path.Combine("data", "runs");

    /// <summary>How often a running job is checked for a dismissal, which stops its cwltool.</summary>
    public TimeSpan DismissPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Extra environment variables for cwltool (for example a <c>PATH</c> with <c>jobsctl</c> on it).</summary>
    public Dictionary<string, string> Environment { get; set; } = [];

    /// <summary>How much of cwltool's stderr a failed job's error message keeps (its end).</summary>
    public int StderrTailChars { get; set; } = 2000;
}

/// <summary>The values of <see cref="DispatchOptions.Mode"/>.</summary>
public static class DispatchModes
{
    public const string None = "none";
    public const string Webhook = "webhook";
    public const string Sns = "sns";
    public const string Local = "local";

    public static readonly IReadOnlyList<string> All = [None, Webhook, Sns, Local];
}
