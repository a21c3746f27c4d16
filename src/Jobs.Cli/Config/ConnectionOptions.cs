using System.CommandLine;

namespace Jobs.Cli.Config;

/// <summary>
/// The options every user command takes to choose the API and the credential. Precedence, highest
/// first: the option, the environment (<c>JOBS_API_URL</c>, <c>JOBS_TOKEN</c>, <c>JOBS_API_KEY</c>),
/// the profile (<c>--profile</c>, else <c>JOBS_PROFILE</c>, else the config's current one), the default URL.
/// </summary>
public sealed class ConnectionOptions
{
    public Option<string?> Profile { get; } = new("--profile") { Description = "Saved profile to use (jobsctl login --profile) [env JOBS_PROFILE]", HelpName = "name" };

    public Option<string?> ApiUrl { get; } = new("--api-url") { Description = $"The Jobs API (default {Connection.DefaultApiUrl}) [env JOBS_API_URL]", HelpName = "url" };

    public Option<string?> AccessToken { get; } = new("--access-token") { Description = "Bearer token (OpenID Connect access token) [env JOBS_TOKEN]", HelpName = "token" };

    public Option<string?> ApiKey { get; } = new("--api-key") { Description = "API key, sent as 'Authorization: ApiKey …' [env JOBS_API_KEY]", HelpName = "key" };

    public void AddTo(Command command)
    {
        command.Options.Add(Profile);
        command.Options.Add(ApiUrl);
        command.Options.Add(AccessToken);
        command.Options.Add(ApiKey);
    }

    public Connection Resolve(ParseResult parse, CliContext context)
    {
        var config = Config.ConfigFile.For(context).Load();
        var profileName = parse.GetValue(Profile) ?? context.Env("JOBS_PROFILE") ?? config.Current;
        CliProfile profile;
        if (!config.Profiles.TryGetValue(profileName, out var saved))
        {
            var named = parse.GetValue(Profile) is not null || context.Env("JOBS_PROFILE") is not null;
            if (named)
            {
                throw new CliException(ExitCodes.Usage, $"no profile '{profileName}' in {Config.ConfigFile.For(context).Path}; create it with 'jobsctl login --profile {profileName} --api-url URL'");
            }

            profile = new CliProfile();
        }
        else
        {
            profile = saved;
        }

        var (url, urlSource) = parse.GetValue(ApiUrl) is { } u ? (u, "--api-url")
            : context.Env("JOBS_API_URL") is { } e ? (e, "JOBS_API_URL")
            : profile.ApiUrl is { } p ? (p, $"profile '{profileName}' apiUrl")
            : (Connection.DefaultApiUrl, "the default");

        string? token = null, apiKey = null;
        if (parse.GetValue(AccessToken) is not null || parse.GetValue(ApiKey) is not null)
        {
            token = parse.GetValue(AccessToken);
            apiKey = token is null ? parse.GetValue(ApiKey) : null;
        }
        else if (context.Env("JOBS_TOKEN") is { } envToken)
        {
            token = envToken;
        }
        else if (context.Env("JOBS_API_KEY") is { } envKey)
        {
            apiKey = envKey;
        }
        else
        {
            token = Blank(profile.Token);
            apiKey = token is null ? Blank(profile.ApiKey) : null;
        }

        return new Connection(Connection.ParseApiUrl(url, urlSource), token, apiKey, profileName);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
