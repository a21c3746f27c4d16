using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Jobs.Cli.Tests.Config;

/// <summary>
/// Profiles and credentials: <c>login</c> saves a checked profile in the user's config directory,
/// and every command sends the credential chosen by option, environment, then profile.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class LoginTests(KestrelApi api)
{
    [Fact]
    public async Task Login_saves_the_profile_under_xdg_config_home_readable_by_its_owner_only()
    {
        var environment = api.Environment();
        environment.Remove("JOBS_API_URL");

        var result = await CliRun.RunAsync(environment, null, "login", "--profile", "lab", "--api-url", api.Url, "--api-key", "k-123");

        Assert.True(result.ExitCode == 0, result.Error);
        var path = Path.Combine(environment["XDG_CONFIG_HOME"]!, "jobsctl", "config.json");
        var config = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        Assert.Equal("lab", config["current"]!.GetValue<string>());
        Assert.Equal(api.Url, config["profiles"]!["lab"]!["apiUrl"]!.GetValue<string>());
        Assert.Equal("k-123", config["profiles"]!["lab"]!["apiKey"]!.GetValue<string>());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        // The saved profile is used without JOBS_API_URL.
        var list = await CliRun.RunAsync(environment, null, "list", "-o", "json");
        Assert.True(list.ExitCode == 0, list.Error);
    }

    [Fact]
    public async Task Login_to_an_api_that_is_not_there_saves_nothing()
    {
        var environment = api.Environment();

        var result = await CliRun.RunAsync(environment, null, "login", "--api-url", "http://127.0.0.1:9", "--access-token", "t");

        Assert.Equal(75, result.ExitCode);
        Assert.False(File.Exists(Path.Combine(environment["XDG_CONFIG_HOME"]!, "jobsctl", "config.json")));
    }

    [Fact]
    public async Task The_credential_comes_from_the_option_then_the_environment_then_the_profile()
    {
        var environment = api.Environment();
        environment.Remove("JOBS_API_URL");
        var saved = await CliRun.RunAsync(environment, null, ["login", "--api-url", api.Url, "--with-token", "--no-verify"], stdin: "profile-token\n");
        Assert.True(saved.ExitCode == 0, saved.Error);

        var fromProfile = await SentAuthorizationAsync(environment, []);
        var fromEnvironment = await SentAuthorizationAsync(new(environment) { ["JOBS_API_KEY"] = "env-key" }, []);
        var fromEnvironmentToken = await SentAuthorizationAsync(new(environment) { ["JOBS_TOKEN"] = "env-token", ["JOBS_API_KEY"] = "env-key" }, []);
        var fromOption = await SentAuthorizationAsync(new(environment) { ["JOBS_TOKEN"] = "env-token" }, ["--api-key", "option-key"]);

        Assert.Equal(new AuthenticationHeaderValue("Bearer", "profile-token"), fromProfile);
        Assert.Equal(new AuthenticationHeaderValue("ApiKey", "env-key"), fromEnvironment);
        Assert.Equal(new AuthenticationHeaderValue("Bearer", "env-token"), fromEnvironmentToken);
        Assert.Equal(new AuthenticationHeaderValue("ApiKey", "option-key"), fromOption);
    }

    [Fact]
    public async Task Jobs_api_url_overrides_the_profile_and_a_named_profile_that_does_not_exist_is_a_usage_error()
    {
        var environment = api.Environment();
        await CliRun.RunAsync(environment, null, "login", "--api-url", "http://127.0.0.1:9", "--no-verify");

        var overridden = await CliRun.RunAsync(environment, null, "list", "-o", "ids");
        var missing = await CliRun.RunAsync(new Dictionary<string, string?>(environment) { ["JOBS_PROFILE"] = "nope" }, null, "list");

        Assert.True(overridden.ExitCode == 0, overridden.Error);
        Assert.Equal(64, missing.ExitCode);
        Assert.Contains("no profile 'nope'", missing.Error);
    }

    [Fact]
    public async Task Profiles_can_be_listed_switched_and_removed()
    {
        var environment = api.Environment();
        await CliRun.RunAsync(environment, null, "login", "--profile", "a", "--api-url", api.Url, "--no-verify");
        await CliRun.RunAsync(environment, null, "login", "--profile", "b", "--api-url", api.Url, "--api-key", "x", "--no-verify");

        var use = await CliRun.RunAsync(environment, null, "profiles", "use", "a");
        var list = await CliRun.RunAsync(environment, null, "profiles", "list");
        var logout = await CliRun.RunAsync(environment, null, "logout", "--profile", "b");
        var after = await CliRun.RunAsync(environment, null, "profiles", "list");

        Assert.Equal(0, use.ExitCode);
        Assert.Matches(@"\*\s+a\s", list.Out);
        Assert.Contains("API key", list.Out);
        Assert.Equal(0, logout.ExitCode);
        Assert.DoesNotContain(" b ", after.Out);
    }

    /// <summary>Runs <c>jobsctl list</c> through a handler that records the Authorization header it sends to the real API.</summary>
    private async Task<AuthenticationHeaderValue?> SentAuthorizationAsync(Dictionary<string, string?> environment, string[] extra)
    {
        var recorder = new Recorder();
        var result = await CliRun.RunAsync(environment, recorder, ["list", "-o", "ids", .. extra], null);
        Assert.True(result.ExitCode == 0, result.Error);
        return recorder.Authorization;
    }

    private sealed class Recorder() : DelegatingHandler(new SocketsHttpHandler())
    {
        public AuthenticationHeaderValue? Authorization { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Authorization = request.Headers.Authorization;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
