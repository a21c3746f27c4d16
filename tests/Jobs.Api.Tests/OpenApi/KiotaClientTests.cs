using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Jobs.Api.Tests.Es;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Api.Tests.OpenApi;

/// <summary>
/// A typed client generated from the running API's OpenAPI document with Kiota (the
/// <c>Microsoft.OpenApi.Kiota</c> dotnet tool of <c>.config/dotnet-tools.json</c>), compiled with the
/// Microsoft.Kiota.* libraries (tests/kiota-probe) and run against the API with an API key: it
/// creates a job, reads it and finds it in the job list. Skipped, saying why, without the tool.
/// </summary>
public sealed class KiotaClientTests
{
    private static string Probe => Path.Combine(RepositoryPaths.Root, "tests", "kiota-probe");

    [SkippableFact]
    public async Task A_client_generated_by_kiota_creates_gets_and_lists_jobs()
    {
        var version = await DotnetAsync(RepositoryPaths.Root, "kiota", "--version");
        Skip.If(version.ExitCode != 0, $"the Kiota tool is not installed: run `dotnet tool restore` at the repository root (.ci/run does): {version.Error.Trim()}");

        await using var factory = JobsApiFactory.With(builder =>
        {
            builder.UseSetting("Jobs:Auth:ApiKeys:0:Name", "kiota");
            builder.UseSetting("Jobs:Auth:ApiKeys:0:User", "alice");
            builder.UseSetting("Jobs:Auth:ApiKeys:0:Sha256", global::Jobs.Api.Identity.ApiKeyHandler.Hash("alice-key"));
            builder.UseSetting("Jobs:Auth:ApiKeys:1:Name", "admin");
            builder.UseSetting("Jobs:Auth:ApiKeys:1:User", "operator");
            builder.UseSetting("Jobs:Auth:ApiKeys:1:Roles:0", "jobs-admin");
            builder.UseSetting("Jobs:Auth:ApiKeys:1:Sha256", global::Jobs.Api.Identity.ApiKeyHandler.Hash("admin-key"));
        });
        factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var root = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var admin = new HttpClient { BaseAddress = new Uri(root) };
        admin.DefaultRequestHeaders.Authorization = new("ApiKey", "admin-key");
        await admin.DeployAsync("kiota-probe", "2");

        var document = Path.Combine(Probe, "obj", "openapi.json");
        var generated = Path.Combine(Probe, "obj", "Generated");
        Directory.CreateDirectory(Path.GetDirectoryName(document)!);
        await File.WriteAllTextAsync(document, await admin.GetStringAsync("/openapi/v1.json"));
        var generate = await DotnetAsync(RepositoryPaths.Root, "kiota", "generate", "--language", "CSharp", "--openapi", document, "--output", generated,
            "--namespace-name", "Jobs.Generated", "--class-name", "JobsApiClient", "--exclude-backward-compatible", "--clean-output", "--log-level", "Warning");
        Assert.True(generate.ExitCode == 0, generate.Out + generate.Error);

        var label = "kiota-" + Guid.NewGuid().ToString("N")[..8];
        var run = await DotnetAsync(Probe, "run", "--project", Probe, "--", root, "alice-key", "kiota-probe:2", label);
        Assert.True(run.ExitCode == 0, run.Out + run.Error);

        var seen = JsonNode.Parse(run.Out.Trim().Split('\n')[^1])!;
        var id = seen["created"]!.GetValue<string>();
        Assert.True(seen["token"]!.GetValue<bool>());
        Assert.Equal("accepted", seen["status"]!.GetValue<string>());
        Assert.Equal("kiota-probe:2", seen["process"]!.GetValue<string>());
        Assert.Equal("from-kiota", seen["x"]!.GetValue<string>());
        Assert.Equal([id], seen["listed"]!.AsArray().Select(j => j!.GetValue<string>()));

        // The job is alice's (the key's user), as the API itself says.
        var job = await admin.GetJsonAsync($"/jobs/{id}");
        Assert.Equal("alice", job["userID"]!.GetValue<string>());
        Assert.Equal([label], job["labels"]!.AsArray().Select(l => l!.GetValue<string>()));
    }

    private static async Task<(int ExitCode, string Out, string Error)> DotnetAsync(string directory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // No update check (it would reach for the network) and no telemetry.
        start.Environment["KIOTA_UPDATE_DISABLED"] = "true";
        start.Environment["KIOTA_TUTORIAL_ENABLED"] = "false";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(limit.Token);
        return (process.ExitCode, await output, await error);
    }
}
