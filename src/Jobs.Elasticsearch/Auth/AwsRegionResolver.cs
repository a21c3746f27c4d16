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

        if (Uri.TryCreate(options.Url, UriKind.Absolute, out var url))
        {
            var match = ServiceHost().Match(url.Host);
            if (match.Success)
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
