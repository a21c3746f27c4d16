using System.CommandLine;
using Jobs.Cli.Client;
using Jobs.Cli.Config;

namespace Jobs.Cli.Commands;

/// <summary>
/// <c>jobsctl login</c>: saves a profile (API URL and a bearer token or API key) in the config
/// file after checking that the API accepts it, and makes it the current profile.
/// </summary>
internal static class LoginCommand
{
    public static Command Create(CliContext context)
    {
        var profile = new Option<string>("--profile") { Description = "Profile name", DefaultValueFactory = _ => CliConfig.DefaultProfile, HelpName = "name" };
        var apiUrl = new Option<string?>("--api-url") { Description = $"The Jobs API (default: the profile's, else JOBS_API_URL, else {Connection.DefaultApiUrl})", HelpName = "url" };
        var token = new Option<string?>("--access-token") { Description = "A bearer token (sent as 'Authorization: Bearer …')", HelpName = "token" };
        var apiKey = new Option<string?>("--api-key") { Description = "An API key (sent as 'Authorization: ApiKey …')", HelpName = "key" };
        var withToken = new Option<bool>("--with-token") { Description = "Read the bearer token from standard input (keeps it out of the shell history)" };
        var withApiKey = new Option<bool>("--with-api-key") { Description = "Read the API key from standard input" };
        var noVerify = new Option<bool>("--no-verify") { Description = "Save without asking the API whether it accepts the credential" };
        var command = new Command("login", "Save a profile: the API's URL and a credential, checked against the API.")
        {
            profile, apiUrl, token, apiKey, withToken, withApiKey, noVerify,
        };
        command.SetAction((parse, ct) => CommandActions.RunAsync(context, async () =>
        {
            var file = ConfigFile.For(context);
            var config = file.Load();
            var name = parse.GetValue(profile)!;
            var existing = config.Profiles.GetValueOrDefault(name) ?? new CliProfile();
            var given = new[] { parse.GetValue(token) is not null, parse.GetValue(apiKey) is not null, parse.GetValue(withToken), parse.GetValue(withApiKey) }.Count(x => x);
            if (given > 1)
            {
                throw new CliException(ExitCodes.Usage, "give one credential: --access-token, --api-key, --with-token or --with-api-key");
            }

            var fromStdin = parse.GetValue(withToken) || parse.GetValue(withApiKey) ? (await context.In.ReadToEndAsync(ct)).Trim() : null;
            if (fromStdin is { Length: 0 })
            {
                throw new CliException(ExitCodes.Usage, "standard input held no credential");
            }

            var url = parse.GetValue(apiUrl) ?? existing.ApiUrl ?? context.Env("JOBS_API_URL") ?? Connection.DefaultApiUrl;
            var saved = given == 0
                ? existing with { ApiUrl = url }
                : new CliProfile
                {
                    ApiUrl = url,
                    Token = parse.GetValue(token) ?? (parse.GetValue(withToken) ? fromStdin : null),
                    ApiKey = parse.GetValue(apiKey) ?? (parse.GetValue(withApiKey) ? fromStdin : null),
                };
            var connection = new Connection(Connection.ParseApiUrl(url, "--api-url"), saved.Token, saved.ApiKey, name);

            if (!parse.GetValue(noVerify))
            {
                // Any authenticated read will do: one job of the caller's own.
                using var client = new JobsClient(context, connection);
                await client.GetAsync("jobs?limit=1", ct);
            }

            config.Profiles[name] = saved;
            file.Save(config with { Current = name });
            var credential = saved.Token is not null ? "a bearer token" : saved.ApiKey is not null ? "an API key" : "no credential";
            await context.Out.WriteLineAsync($"profile '{name}': {url} with {credential}, saved in {file.Path} (current profile)");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
