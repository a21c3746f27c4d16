using System.Net.Http.Headers;

namespace Jobs.Cli.Config;

/// <summary>Where the user's commands go and with which credential, once flags, environment and profile are merged.</summary>
public sealed record Connection(Uri ApiUrl, string? Token, string? ApiKey, string Profile)
{
    /// <summary>The embedded service's address (<c>dotnet run --project src/Jobs.Api</c>).</summary>
    public const string DefaultApiUrl = "http://localhost:5001";

    /// <summary><c>Bearer …</c> for a token, <c>ApiKey …</c> for an API key, none without a credential.</summary>
    public AuthenticationHeaderValue? Authorization =>
        Token is not null ? new AuthenticationHeaderValue("Bearer", Token)
        : ApiKey is not null ? new AuthenticationHeaderValue("ApiKey", ApiKey)
        : null;

    public static Uri ParseApiUrl(string value, string source)
    {
        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new CliException(ExitCodes.Usage, $"{source} '{value}' is not an http(s) URL (for example {DefaultApiUrl})");
        }

        return uri;
    }
}
