using System.Text.Json.Nodes;

namespace Jobs.Cli.Tests.Commands;

/// <summary>The user's commands against the real API on a loopback port: submit, list, get, search, history, dismiss, results, resubmit.</summary>
[Collection(ApiCollection.Name)]
public sealed class JobCommandsTests(KestrelApi api)
{
    [Fact]
    public async Task Submit_with_inputs_from_flags_prints_the_created_statusInfo_with_its_token_as_json()
    {
        await api.DeployChecksumAsync();

        var result = await CliRun.RunAsync(api.Environment(), null,
            "submit", "checksum:1", "-i", "input_file=s3://bucket/a.nc", "-i", "copies:=3", "-l", "cli-json", "--output", "json");

        Assert.True(result.ExitCode == 0, result.Error);
        var created = JsonNode.Parse(result.Out)!;
        Assert.Equal("accepted", created["status"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(created["updateToken"]?.GetValue<string>()));
        var job = await api.JobAsync(created["jobID"]!.GetValue<string>());
        Assert.Equal("s3://bucket/a.nc", job["inputs"]!["input_file"]!.GetValue<string>());
        Assert.Equal(3, job["inputs"]!["copies"]!.GetValue<int>());
        Assert.Equal(["cli-json"], job["labels"]!.AsArray().Select(l => l!.GetValue<string>()));
    }

    [Fact]
    public async Task Submit_reads_inputs_from_a_yaml_file_with_typed_scalars()
    {
        await api.DeployChecksumAsync();
        var file = Path.Combine(Path.GetTempPath(), $"inputs-{Guid.NewGuid():N}.yml");
        await File.WriteAllTextAsync(file, "input_file: 's3://bucket/b.nc'\ncopies: 2\n");

        var result = await CliRun.RunAsync(api.Environment(), null, "submit", "checksum", "--inputs", file, "-o", "id");

        Assert.True(result.ExitCode == 0, result.Error);
        var job = await api.JobAsync(result.Out.Trim());
        Assert.Equal("s3://bucket/b.nc", job["inputs"]!["input_file"]!.GetValue<string>());
        Assert.Equal(2, job["inputs"]!["copies"]!.GetValue<int>());
    }

    [Fact]
    public async Task Submit_with_an_input_the_process_does_not_have_exits_65_naming_it()
    {
        await api.DeployChecksumAsync();

        var result = await CliRun.RunAsync(api.Environment(), null, "submit", "checksum:1", "-i", "input_file=x", "-i", "colour=blue");

        Assert.Equal(65, result.ExitCode);
        Assert.Contains("colour", result.Error);
        Assert.Contains("400", result.Error);
    }

    [Fact]
    public async Task A_malformed_json_input_is_refused_before_anything_is_sent()
    {
        var result = await CliRun.RunAsync(api.Environment(), null, "submit", "checksum:1", "-i", "copies:={oops");

        Assert.Equal(64, result.ExitCode);
        Assert.Contains("copies", result.Error);
    }

    [Fact]
    public async Task List_shows_the_table_columns_and_the_ids_and_json_formats_agree()
    {
        var label = "list-" + Guid.NewGuid().ToString("N")[..8];
        var (first, _) = await api.NewJobAsync(label);
        var (second, token) = await api.NewJobAsync(label);
        await api.UpdateAsync(second, token, new JsonObject { ["status"] = "running", ["progress"] = 40 });

        var table = await CliRun.RunAsync(api.Environment(), null, "list", "--label", label);
        var ids = await CliRun.RunAsync(api.Environment(), null, "list", "--label", label, "-o", "ids");
        var running = await CliRun.RunAsync(api.Environment(), null, "list", "--label", label, "--status", "running", "-o", "json");

        Assert.True(table.ExitCode == 0, table.Error);
        foreach (var column in (string[])["ID", "PROCESS", "STATUS", "PROGRESS", "LABELS", "CREATED", "DURATION"])
        {
            Assert.Contains(column, table.Out);
        }

        var secondRow = table.Out.Split('\n').Single(l => l.Contains(second, StringComparison.Ordinal));
        Assert.Contains("checksum:1", secondRow);
        Assert.Contains("running", secondRow);
        Assert.Contains("40%", secondRow);
        Assert.Equal([second, first], ids.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal([second], JsonNode.Parse(running.Out)!.AsArray().Select(j => j!["jobID"]!.GetValue<string>()));
    }

    [Fact]
    public async Task List_all_follows_the_next_links()
    {
        var label = "paging-" + Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < 3; i++)
        {
            await api.NewJobAsync(label);
        }

        var onePage = await CliRun.RunAsync(api.Environment(), null, "list", "-l", label, "--limit", "2", "-o", "ids");
        var all = await CliRun.RunAsync(api.Environment(), null, "list", "-l", label, "--limit", "2", "--all", "-o", "ids");

        Assert.Equal(2, onePage.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(3, all.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Distinct().Count());
    }

    [Fact]
    public async Task A_bad_filter_value_exits_65_with_the_api_s_reason()
    {
        var result = await CliRun.RunAsync(api.Environment(), null, "list", "--status", "exploded");

        Assert.Equal(65, result.ExitCode);
        Assert.Contains("exploded", result.Error);
    }

    [Fact]
    public async Task Get_shows_the_job_and_an_unknown_job_exits_65()
    {
        var (jobId, _) = await api.NewJobAsync("get-me");

        var shown = await CliRun.RunAsync(api.Environment(), null, "get", jobId);
        var missing = await CliRun.RunAsync(api.Environment(), null, "get", "01234567-0000-7000-8000-000000000000");

        Assert.True(shown.ExitCode == 0, shown.Error);
        Assert.Contains("get-me", shown.Out);
        Assert.Contains("s3://bucket/in/granule.nc", shown.Out);
        Assert.Equal(65, missing.ExitCode);
        Assert.Contains("404", missing.Error);
    }

    [Fact]
    public async Task Search_takes_a_clause_inline_a_request_from_a_file_or_a_query_string()
    {
        var label = "search-" + Guid.NewGuid().ToString("N")[..8];
        var (jobId, _) = await api.NewJobAsync(label);
        var file = Path.Combine(Path.GetTempPath(), $"search-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, "{\"query\":{\"bool\":{\"filter\":[{\"term\":{\"labels\":\"" + label + "\"}}]}},\"size\":5}");

        var inline = await CliRun.RunAsync(api.Environment(), null, "search", Clause(label), "-o", "ids");
        var fromFile = await CliRun.RunAsync(api.Environment(), null, "search", "@" + file, "-o", "ids");
        var q = await CliRun.RunAsync(api.Environment(), null, "search", "--q", $"labels:{label}", "-o", "ids");
        var table = await CliRun.RunAsync(api.Environment(), null, "search", Clause(label));

        Assert.All([inline, fromFile, q], r => Assert.Equal(jobId, r.Out.Trim()));
        Assert.Contains("1 total", table.Out);
        Assert.Contains("accepted", table.Out);
    }

    private static string Clause(string label) => new JsonObject { ["term"] = new JsonObject { ["labels"] = label } }.ToJsonString();

    [Fact]
    public async Task An_unsupported_query_exits_65_with_the_elasticsearch_reason()
    {
        var result = await CliRun.RunAsync(api.Environment(), null, "search", """{"query":{"script":{"script":"1"}}}""");

        Assert.Equal(65, result.ExitCode);
        Assert.Contains("script", result.Error);
    }

    [Fact]
    public async Task History_lists_every_event_with_its_outcome()
    {
        var (jobId, token) = await api.NewJobAsync();
        await api.UpdateAsync(jobId, token, new JsonObject { ["status"] = "running", ["stage"] = "stage-in" });

        var result = await CliRun.RunAsync(api.Environment(), null, "history", jobId);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("execute", result.Out);
        Assert.Contains("stage-in", result.Out);
        Assert.Contains("applied", result.Out);
    }

    [Fact]
    public async Task Dismiss_dismisses_and_a_finished_job_exits_65()
    {
        var (running, _) = await api.NewJobAsync();
        var (finished, token) = await api.NewJobAsync();
        await api.UpdateAsync(finished, token, new JsonObject { ["status"] = "succeeded" });

        var result = await CliRun.RunAsync(api.Environment(), null, "dismiss", running, finished);

        Assert.Equal(65, result.ExitCode);
        Assert.Contains($"job {running} dismissed", result.Out);
        Assert.Contains("409", result.Error);
        Assert.Equal("dismissed", (await api.JobAsync(running))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Results_lists_outputs_downloads_http_ones_and_tells_an_unfinished_job_by_exit_code()
    {
        var (jobId, token) = await api.NewJobAsync();
        var early = await CliRun.RunAsync(api.Environment(), null, "results", jobId);
        await api.UpdateAsync(jobId, token, new JsonObject
        {
            ["status"] = "succeeded",
            ["outputs"] = new JsonObject { ["report"] = $"{api.Url}/conformance", ["archive"] = "s3://bucket/out/a.tar" },
        });
        var directory = Path.Combine(Path.GetTempPath(), $"results-{Guid.NewGuid():N}");

        var result = await CliRun.RunAsync(api.Environment(), null, "results", jobId, "--download", directory);

        Assert.Equal(3, early.ExitCode);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("s3://bucket/out/a.tar", result.Out);
        var downloaded = await File.ReadAllTextAsync(Path.Combine(directory, "conformance"));
        Assert.Contains("conformsTo", downloaded);
        Assert.Single(Directory.GetFiles(directory));
    }

    [Fact]
    public async Task Resubmit_creates_a_job_with_the_same_process_inputs_and_labels_linked_to_the_old_one()
    {
        var (old, _) = await api.NewJobAsync("campaign-9");

        var result = await CliRun.RunAsync(api.Environment(), null, "resubmit", old, "-o", "id");

        Assert.True(result.ExitCode == 0, result.Error);
        var fresh = await api.JobAsync(result.Out.Trim());
        Assert.NotEqual(old, fresh["jobID"]!.GetValue<string>());
        Assert.Equal("checksum", fresh["processID"]!.GetValue<string>());
        Assert.Equal("1", fresh["processVersion"]!.GetValue<string>());
        Assert.Equal("s3://bucket/in/granule.nc", fresh["inputs"]!["input_file"]!.GetValue<string>());
        Assert.Equal(["campaign-9", $"resubmit-of:{old}"], fresh["labels"]!.AsArray().Select(l => l!.GetValue<string>()));
    }

    [Fact]
    public async Task Processes_deploy_list_describe_and_undeploy()
    {
        var id = "p" + Guid.NewGuid().ToString("N")[..8];
        var file = Path.Combine(Path.GetTempPath(), $"{id}.yml");
        await File.WriteAllTextAsync(file, $"""
            processDescription:
              id: {id}
              version: "2"
              title: From YAML
              inputs:
                x: {"{"}schema: {"{"}type: string{"}"}{"}"}
              outputs:
                y: {"{"}schema: {"{"}type: string{"}"}{"}"}
            executionUnit: {"{"}type: application/cwl, href: "https://example.org/p.cwl"{"}"}
            """);

        var deploy = await CliRun.RunAsync(api.Environment(), null, "processes", "deploy", file);
        var list = await CliRun.RunAsync(api.Environment(), null, "processes", "list");
        var describe = await CliRun.RunAsync(api.Environment(), null, "processes", "describe", $"{id}:2");
        var undeploy = await CliRun.RunAsync(api.Environment(), null, "processes", "undeploy", id);
        var gone = await CliRun.RunAsync(api.Environment(), null, "processes", "describe", id);

        Assert.True(deploy.ExitCode == 0, deploy.Error);
        Assert.Contains($"deployed {id}:2", deploy.Out);
        Assert.Contains("From YAML", list.Out);
        Assert.Equal(id, JsonNode.Parse(describe.Out)!["id"]!.GetValue<string>());
        Assert.Equal(0, undeploy.ExitCode);
        Assert.Equal(65, gone.ExitCode);
    }

    [Fact]
    public async Task An_unreachable_api_exits_75()
    {
        var result = await CliRun.RunAsync(new Dictionary<string, string?> { ["JOBS_API_URL"] = "http://127.0.0.1:9" }, null, "list");

        Assert.Equal(75, result.ExitCode);
        Assert.Contains("cannot reach", result.Error);
    }
}
