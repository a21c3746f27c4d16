using System.Text.RegularExpressions;

namespace Jobs.Elasticsearch.Auth;

/// <summary>Where the SigV4 region comes from: the setting, the AWS environment, or the service host name.</summary>
internal static partial class AwsRegionResolver
{
    public static string? Resolve(ElasticsearchOptions options, Func<string, string?> environment)
    {
        if (!string.IsNullOrWhiteSpace(options.AwsRegion))
        {
            return options.AwsRegion.Trim();
        }

        var fromEnvironment = environment("AWS_REGION") ?? environment("AWS_DEFAULT_REGION");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return fromEnvironment.Trim();
        }

        foreach (var (_, value) in options.ConfiguredUrls())
        {
            if (Uri.TryCreate(value, UriKind.Absolute, out var url) && ServiceHost().Match(url.Host) is { Success: true } match)
            {
                return match.Groups["region"].Value;
            }
        }

        return null;
    }

    // search-<domain>-<id>.<region>.es.amazonaws.com, <id>.<region>.aoss.amazonaws.com
    [GeneratedRegex(@"\.(?<region>[a-z]{2}(-[a-z]+)+-\d+)\.(es|aoss)\.amazonaws\.com$", RegexOptions.IgnoreCase)]
    private static partial Regex ServiceHost();
}
