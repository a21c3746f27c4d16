using System.Text.RegularExpressions;
using Amazon.SQS;

namespace Jobs.Infra.Tests.Support;

/// <summary>
/// What the code calls, read from its sources, so the IAM policies and the CLI's environment are
/// checked against the code instead of against a list kept by hand.
/// </summary>
public static partial class CodeFacts
{
    /// <summary>
    /// The IAM actions of the Elasticsearch adapter's HTTP requests: every <c>HttpMethod.X</c> it
    /// sends (Elastic.Transport's upper-case <c>HttpMethod.GET</c> as well) is <c>es:ESHttpX</c>
    /// under SigV4.
    /// </summary>
    public static SortedSet<string> ElasticsearchActions() =>
        Matches("src/Jobs.Elasticsearch", HttpMethodUse(), m => "es:ESHttp" + m.Groups[1].Value[..1].ToUpperInvariant() + m.Groups[1].Value[1..].ToLowerInvariant());

    /// <summary>
    /// The SQS actions of the consumer's poller: every <see cref="IAmazonSQS"/> method it calls
    /// (<c>ReceiveMessageAsync</c>…); a <c>…Batch</c> call is authorised by its single action.
    /// </summary>
    public static SortedSet<string> PollerSqsActions()
    {
        var sqsMethods = typeof(IAmazonSQS).GetMethods().Select(m => m.Name).Where(n => n.EndsWith("Async", StringComparison.Ordinal)).ToHashSet();
        return Matches("functions/Jobs.UpdatesFunction", AsyncCall(), m => m.Groups[1].Value + "Async", sqsMethods.Contains,
            name => "sqs:" + Regex.Replace(name[..^"Async".Length], "Batch$", ""));
    }

    /// <summary>
    /// The SNS actions the CLI and the API's <c>sns</c> dispatch send: both use the hand-written
    /// Query API client in src/Jobs.Aws (<c>Action=Publish</c>).
    /// </summary>
    public static SortedSet<string> SnsActions() =>
        Matches("src/Jobs.Aws", QueryAction(), m => "sns:" + m.Groups[1].Value);

    /// <summary>The SQS actions of the events publisher (src/Jobs.Aws: every <see cref="IAmazonSQS"/> method it calls).</summary>
    public static SortedSet<string> EventsSqsActions()
    {
        var sqsMethods = typeof(IAmazonSQS).GetMethods().Select(m => m.Name).Where(n => n.EndsWith("Async", StringComparison.Ordinal)).ToHashSet();
        return Matches("src/Jobs.Aws", AsyncCall(), m => m.Groups[1].Value + "Async", sqsMethods.Contains,
            name => "sqs:" + Regex.Replace(name[..^"Async".Length], "Batch$", ""));
    }

    /// <summary>The SQS actions the CLI sends (<c>--queue-url</c>: every <see cref="IAmazonSQS"/> method it calls).</summary>
    public static SortedSet<string> CliSqsActions()
    {
        var sqsMethods = typeof(IAmazonSQS).GetMethods().Select(m => m.Name).Where(n => n.EndsWith("Async", StringComparison.Ordinal)).ToHashSet();
        return Matches("src/Jobs.Cli", AsyncCall(), m => m.Groups[1].Value + "Async", sqsMethods.Contains,
            name => "sqs:" + Regex.Replace(name[..^"Async".Length], "Batch$", ""));
    }

    /// <summary>
    /// What the Elasticsearch adapter's requests reach, as (IAM action, target): <c>/</c> (the
    /// cluster's root), a path under no index (<c>_bulk</c>), or <c>{index}</c> (one of the stack's
    /// indices), read from each <c>SendAsync(HttpMethod.X, "path"…)</c> of its HTTP client.
    /// </summary>
    public static SortedSet<string> ElasticsearchRequests() =>
        Matches("src/Jobs.Elasticsearch", RequestUse(), m =>
        {
            var path = m.Groups[2].Value;
            var target = path.Length == 0 ? "/" : path.StartsWith("{Escape(index)}", StringComparison.Ordinal) || path == "Escape(index)" ? "{index}" : path.Split('?', '/')[0];
            var method = m.Groups[1].Value;
            return $"es:ESHttp{method[..1].ToUpperInvariant()}{method[1..].ToLowerInvariant()} {target}";
        });

    /// <summary>The names of the Elasticsearch store's indices (after the index prefix), from its index layout.</summary>
    public static SortedSet<string> ElasticsearchIndexNames() =>
        Matches("src/Jobs.Elasticsearch", IndexName(), m => m.Groups[1].Value);

    /// <summary>The environment variables the CLI reads (string literals <c>JOBS_…</c> and <c>AWS_…</c>).</summary>
    public static SortedSet<string> CliEnvironmentVariables() =>
        Matches("src/Jobs.Cli", EnvironmentName(), m => m.Groups[1].Value);

    private static SortedSet<string> Matches(string folder, Regex pattern, Func<Match, string> select, Func<string, bool>? keep = null, Func<string, string>? map = null)
    {
        var result = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (_, text) in RepoFiles.CSharpSources(folder))
        {
            foreach (Match match in pattern.Matches(text))
            {
                var value = select(match);
                if (keep is null || keep(value))
                {
                    result.Add(map is null ? value : map(value));
                }
            }
        }

        return result;
    }

    [GeneratedRegex(@"\bHttpMethod\.(Get|Head|Post|Put|Delete|Patch|Options|GET|HEAD|POST|PUT|DELETE|PATCH|OPTIONS)\b")]
    private static partial Regex HttpMethodUse();

    [GeneratedRegex(@"\.(\w+)Async\(")]
    private static partial Regex AsyncCall();

    [GeneratedRegex(@"SendAsync\(HttpMethod\.(GET|HEAD|POST|PUT|DELETE|PATCH|Get|Head|Post|Put|Delete|Patch), \$?""?([^"",]*)""?")]
    private static partial Regex RequestUse();

    [GeneratedRegex(@"\(prefix \+ ""([a-z][a-z-]*)""")]
    private static partial Regex IndexName();

    [GeneratedRegex(@"Action=(\w+)")]
    private static partial Regex QueryAction();

    [GeneratedRegex(@"""((?:JOBS|AWS)_[A-Z0-9_]+)""")]
    private static partial Regex EnvironmentName();
}
