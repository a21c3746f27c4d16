using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Jobs.Api.Tests.Es;

/// <summary>
/// The official JavaScript client (@elastic/elasticsearch, default settings) against <c>/es</c>:
/// <c>node/client-check.mjs</c> makes the calls and prints what it read; this test checks it.
/// Skipped, saying why, where node or the installed client (<c>npm ci</c> in that folder) is absent.
/// </summary>
public class OfficialJavaScriptClientTests(EsHost host) : IClassFixture<EsHost>
{
    [SkippableFact]
    public async Task The_javascript_client_reads_the_jobs_with_its_default_settings()
    {
        var node = RepositoryPaths.OnPath("node");
        Skip.If(node is null, "node is not on the PATH; install Node.js to run the JavaScript client check");
        Skip.IfNot(Directory.Exists(Path.Combine(RepositoryPaths.NodeCheck, "node_modules", "@elastic", "elasticsearch")),
            $"the JavaScript client is not installed: run `npm ci` in {RepositoryPaths.NodeCheck} (.ci/run does)");
        var aliceJob = host.IdsOf("alice")[0];

        var result = await RunAsync(node!, "client-check.mjs", host.EsUrl.ToString(), aliceJob);

        Assert.Equal("jobs", result["clusterName"]!.GetValue<string>());
        Assert.StartsWith("9.", result["version"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(result["ping"]!.GetValue<bool>());
        Assert.Equal(host.Jobs.Where((_, i) => i is 0 or 4).Select(j => j.Id).Order(StringComparer.Ordinal), result["searchIds"]!.AsArray().Select(i => i!.GetValue<string>()));
        Assert.Equal(2, result["searchTotal"]!.GetValue<int>());
        Assert.Equal("""{"running":3,"submitted":2}""", result["byStatus"]!.ToJsonString());
        Assert.Equal(5, result["byDayTotal"]!.GetValue<int>());
        Assert.Equal(2, result["count"]!.GetValue<int>());
        Assert.Equal("alice", result["getUser"]!.GetValue<string>());
        Assert.True(result["exists"]!.GetValue<bool>());
        Assert.False(result["missingExists"]!.GetValue<bool>());
        Assert.Equal("keyword", result["mappingStatus"]!.GetValue<string>());
        Assert.Equal("[true,false]", result["mget"]!.ToJsonString());
        Assert.Equal("""[{"index":"jobs","docs.count":"5"}]""", result["catIndices"]!.ToJsonString());
        Assert.Equal("ResponseError", result["refused"]!["name"]!.GetValue<string>());
        Assert.Equal(400, result["refused"]!["status"]!.GetValue<int>());
        Assert.Equal("illegal_argument_exception", result["refused"]!["type"]!.GetValue<string>());
        Assert.Equal(405, result["write"]!["status"]!.GetValue<int>());
        Assert.Equal("cluster_block_exception", result["write"]!["type"]!.GetValue<string>());
    }

    private static async Task<JsonNode> RunAsync(string node, params string[] arguments)
    {
        var start = new ProcessStartInfo(node) { WorkingDirectory = RepositoryPaths.NodeCheck, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        Assert.True(process.ExitCode == 0, $"node exited with {process.ExitCode}: {await stderr}");
        return JsonNode.Parse((await stdout).Trim().Split('\n')[^1])!;
    }
}
