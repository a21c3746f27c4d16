using System.Text.RegularExpressions;
using Jobs.Elasticsearch.Auth;
using Microsoft.Extensions.Options;

namespace Jobs.Elasticsearch;

/// <summary>Checks <see cref="ElasticsearchOptions"/> at boot, naming the environment variable to set.</summary>
/// <param name="environment">Reads an environment variable (the SigV4 region may come from <c>AWS_REGION</c>).</param>
internal sealed partial class ElasticsearchOptionsValidator(Func<string, string?> environment) : IValidateOptions<ElasticsearchOptions>
{
    private const string Env = "Jobs__Elasticsearch__";

    public ValidateOptionsResult Validate(string? name, ElasticsearchOptions options)
    {
        var errors = new List<string>();
        CheckUrls(options, errors);

        if (!IndexPrefixPattern().IsMatch(options.IndexPrefix))
        {
            errors.Add($"{Env}IndexPrefix must be lower case letters, digits, '-', '_' or '.', not starting with '-', '_' or '.' (got '{options.IndexPrefix}').");
        }

        CheckAuth(options, errors);

        if (options.CaCertificatePath is { Length: > 0 } ca && !File.Exists(ca))
        {
            errors.Add($"{Env}CaCertificatePath names no file: '{ca}'.");
        }

        if (options.RequestTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{Env}RequestTimeout must be positive.");
        }

        if (options.MaxRetries is < 0 or > 10)
        {
            errors.Add($"{Env}MaxRetries must be between 0 and 10.");
        }

        if (options.RetryDelay < TimeSpan.Zero)
        {
            errors.Add($"{Env}RetryDelay must not be negative.");
        }

        if (options.OutboxGrace < TimeSpan.Zero)
        {
            errors.Add($"{Env}OutboxGrace must not be negative.");
        }

        if (options.MaxConflictRetries is < 0 or > 50)
        {
            errors.Add($"{Env}MaxConflictRetries must be between 0 and 50.");
        }

        if (options.MaxBulkBytes < 64 * 1024)
        {
            errors.Add($"{Env}MaxBulkBytes must be at least 65536.");
        }

        if (options.NumberOfShards < 1 || options.NumberOfReplicas < 0)
        {
            errors.Add($"{Env}NumberOfShards must be at least 1 and {Env}NumberOfReplicas at least 0.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckUrls(ElasticsearchOptions options, List<string> errors)
    {
        var configured = options.ConfiguredUrls();
        if (configured.Count == 0)
        {
            errors.Add($"The Elasticsearch store needs the cluster's URL: set {Env}Url (for example http://localhost:9200), or {Env}Urls__0, {Env}Urls__1, … for several nodes.");
            return;
        }

        foreach (var (name, value) in configured)
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                errors.Add($"{name} must be an absolute http or https URL, not '{value}'.");
            }
        }

        var schemes = configured.Select(c => Uri.TryCreate(c.Value, UriKind.Absolute, out var url) ? url.Scheme : null).OfType<string>().Distinct().ToList();
        if (schemes.Count > 1)
        {
            errors.Add($"The nodes in {Env}Url and {Env}Urls must all be http or all https.");
        }
    }

    private void CheckAuth(ElasticsearchOptions options, List<string> errors)
    {
        if (options.Auth is null && !string.IsNullOrEmpty(options.ApiKey) && !string.IsNullOrEmpty(options.Username))
        {
            errors.Add($"Both {Env}ApiKey and {Env}Username are set: choose one with {Env}Auth (ApiKey or Basic).");
            return;
        }

        switch (options.EffectiveAuth())
        {
            case ElasticsearchAuth.Basic when string.IsNullOrEmpty(options.Username) || options.Password is null:
                errors.Add($"Basic authentication needs {Env}Username and {Env}Password.");
                break;
            case ElasticsearchAuth.ApiKey when string.IsNullOrWhiteSpace(options.ApiKey):
                errors.Add($"API key authentication needs {Env}ApiKey (the 'encoded' value of POST /_security/api_key).");
                break;
            case ElasticsearchAuth.SigV4 when string.IsNullOrWhiteSpace(options.AwsService):
                errors.Add($"SigV4 signing needs {Env}AwsService ('es' for Amazon OpenSearch Service domains, 'aoss' for Serverless).");
                break;
            case ElasticsearchAuth.SigV4 when AwsRegionResolver.Resolve(options, environment) is null:
                errors.Add($"SigV4 signing needs a region: set {Env}AwsRegion or AWS_REGION.");
                break;
        }
    }

    [GeneratedRegex("^([a-z0-9][a-z0-9._-]*)?$")]
    private static partial Regex IndexPrefixPattern();
}

internal static class ElasticsearchOptionsExtensions
{
    /// <summary>The authentication in force: <see cref="ElasticsearchOptions.Auth"/>, or inferred from the settings present.</summary>
    public static ElasticsearchAuth EffectiveAuth(this ElasticsearchOptions options) =>
        options.Auth ?? (!string.IsNullOrEmpty(options.ApiKey) ? ElasticsearchAuth.ApiKey
            : !string.IsNullOrEmpty(options.Username) ? ElasticsearchAuth.Basic
            : ElasticsearchAuth.None);

    /// <summary>The node URLs set, each with the name of its environment variable: <c>Url</c>, then <c>Urls</c> in order.</summary>
    public static IReadOnlyList<(string Name, string Value)> ConfiguredUrls(this ElasticsearchOptions options)
    {
        var urls = new List<(string, string)>();
        if (!string.IsNullOrWhiteSpace(options.Url))
        {
            urls.Add(("Jobs__Elasticsearch__Url", options.Url.Trim()));
        }

        for (var i = 0; i < options.Urls.Length; i++)
        {
            if (!string.IsNullOrWhiteSpace(options.Urls[i]))
            {
                urls.Add(($"Jobs__Elasticsearch__Urls__{i}", options.Urls[i].Trim()));
            }
        }

        return urls;
    }

    /// <summary>The nodes (validated), each with a trailing slash so that request paths keep a path prefix; a URL given twice counts once.</summary>
    public static IReadOnlyList<Uri> NodeUris(this ElasticsearchOptions options) => options.ConfiguredUrls()
        .Select(c => new Uri(c.Value.EndsWith('/') ? c.Value : c.Value + "/", UriKind.Absolute))
        .Distinct()
        .ToList();
}
