using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Jobs.Api.Tests.OpenApi;

/// <summary>
/// The OpenAPI document is one that client generators accept: unique operationIds, a summary and
/// a documented error answer on every operation, servers without a trailing slash — checked here
/// directly, and by Redocly's linter with its recommended rules when npm is available
/// (tests/openapi-lint pins it).
/// </summary>
public sealed class OpenApiLintTests(JobsApiFactory factory) : IClassFixture<JobsApiFactory>
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options"];

    [Fact]
    public async Task Every_operation_has_a_unique_operation_id_a_summary_and_a_4xx_answer()
    {
        var document = await DocumentAsync();
        var operations = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Where(m => Methods.Contains(m.Key)).Select(m => (Path: path.Key, Method: m.Key, Operation: m.Value!)))
            .ToList();

        Assert.NotEmpty(operations);
        var ids = operations.Select(o => o.Operation["operationId"]?.GetValue<string>()).ToList();
        Assert.All(ids, id => Assert.False(string.IsNullOrEmpty(id)));
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(operations, o => Assert.False(string.IsNullOrWhiteSpace(o.Operation["summary"]?.GetValue<string>()), $"{o.Method} {o.Path} has no summary"));
        Assert.All(operations, o => Assert.True(
            o.Operation["responses"]!.AsObject().Any(r => r.Key.StartsWith('4')), $"{o.Method} {o.Path} documents no 4xx answer"));
        Assert.All(document["servers"]?.AsArray() ?? [], s => Assert.False(s!["url"]!.GetValue<string>().EndsWith('/')));
    }

    [Fact]
    public async Task Errors_are_documented_as_problem_details_and_the_search_routes_as_elasticsearch_errors()
    {
        var document = await DocumentAsync();

        var job = document["paths"]!["/jobs/{jobId}"]!["get"]!["responses"]!["4XX"]!["content"]!.AsObject();
        var search = document["paths"]!["/jobs/_search"]!["post"]!["responses"]!["4XX"]!["content"]!.AsObject();

        Assert.Equal("#/components/schemas/ProblemDetails", job["application/problem+json"]!["schema"]!["$ref"]!.GetValue<string>());
        Assert.Equal("#/components/schemas/ElasticsearchError", search["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
        Assert.NotNull(document["components"]!["schemas"]!["ProblemDetails"]!["properties"]!["errors"]);
    }

    [Fact]
    public async Task With_authentication_configured_the_schemes_are_declared_and_applied_to_every_protected_operation()
    {
        using var secured = SecuredHost();
        var document = JsonNode.Parse(await secured.CreateClient().GetStringAsync("/openapi/v1.json"))!;

        var schemes = document["components"]!["securitySchemes"]!;
        Assert.Equal("http", schemes["Bearer"]!["type"]!.GetValue<string>());
        Assert.Equal("bearer", schemes["Bearer"]!["scheme"]!.GetValue<string>());
        Assert.Equal("JWT", schemes["Bearer"]!["bearerFormat"]!.GetValue<string>());
        Assert.Equal("apiKey", schemes["ApiKey"]!["type"]!.GetValue<string>());
        Assert.Equal("header", schemes["ApiKey"]!["in"]!.GetValue<string>());
        Assert.Equal("Authorization", schemes["ApiKey"]!["name"]!.GetValue<string>());

        var list = document["paths"]!["/jobs"]!["get"]!;
        Assert.Equal(["Bearer", "ApiKey"], list["security"]!.AsArray().Select(r => Assert.Single(r!.AsObject()).Key));
        Assert.NotNull(list["responses"]!["401"]);
        Assert.NotNull(document["paths"]!["/processes"]!["post"]!["security"]);

        // Anonymous routes: the landing page, health, and the workers' updates (the job's token is the credential).
        foreach (var (path, method) in new[] { ("/", "get"), ("/health", "get"), ("/jobs/{jobId}/updates", "post") })
        {
            var requirement = Assert.Single(document["paths"]![path]![method]!["security"]!.AsArray());
            Assert.Empty(requirement!.AsObject());
        }
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_document_passes_the_linter_s_recommended_rules(bool authenticated)
    {
        var lint = Path.Combine(RepoRoot(), "tests", "openapi-lint");
        var redocly = Path.Combine(lint, "node_modules", "@redocly", "cli", "bin", "cli.js");
        Skip.If(Which("node") is null, "node is not installed: the linter (npm @redocly/cli) cannot run");
        if (!File.Exists(redocly))
        {
            Skip.If(Which("npm") is null, "npm is not installed: cannot install the linter (tests/openapi-lint)");
            var install = await RunAsync(Which("npm")!, ["ci", "--no-audit", "--no-fund"], lint);
            Skip.If(install.ExitCode != 0, $"npm ci in tests/openapi-lint failed (no registry?): {install.Error}");
        }

        var file = Path.Combine(Path.GetTempPath(), $"openapi-{Guid.NewGuid():N}.json");
        using var secured = authenticated ? SecuredHost() : null;
        var document = secured is null ? await DocumentAsync() : JsonNode.Parse(await secured.CreateClient().GetStringAsync("/openapi/v1.json"))!;
        await File.WriteAllTextAsync(file, document.ToJsonString());

        var result = await RunAsync(Which("node")!, [redocly, "lint", file, "--extends", "recommended", "--format", "json"], lint);

        var report = JsonNode.Parse(result.Out[result.Out.IndexOf('{', StringComparison.Ordinal)..])!;
        var problems = report["problems"]!.AsArray()
            .Select(p => $"{p!["severity"]} {p["ruleId"]}: {p["message"]} at {p["location"]?[0]?["pointer"]}")
            .ToList();
        Assert.True(report["totals"]!["errors"]!.GetValue<int>() == 0, string.Join("\n", problems));
        Assert.Equal(0, result.ExitCode);
    }

    /// <summary>The API with both schemes configured (bearer tokens of an authority, and an API key).</summary>
    private static JobsApiFactory SecuredHost()
    {
        var host = new JobsApiFactory();
        host.Settings["Authentication:Schemes:Bearer:Authority"] = "https://login.example.org/realms/jobs";
        host.Settings["Authentication:Schemes:Bearer:ValidAudiences:0"] = "jobs";
        host.Settings["Jobs:Auth:ApiKeys:0:Name"] = "ci";
        host.Settings["Jobs:Auth:ApiKeys:0:User"] = "alice";
        host.Settings["Jobs:Auth:ApiKeys:0:Sha256"] = global::Jobs.Api.Identity.ApiKeyHandler.Hash("key");
        return host;
    }

    private async Task<JsonNode> DocumentAsync() =>
        JsonNode.Parse(await factory.CreateClient().GetStringAsync("/openapi/v1.json"))!;

    private static string? Which(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    private static async Task<(int ExitCode, string Out, string Error)> RunAsync(string file, string[] args, string directory)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(limit.Token);
        return (process.ExitCode, await output, await error);
    }

    private static string RepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Jobs.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("no Jobs.sln above the test binaries");
    }
}
