using System.Text.Json.Nodes;

namespace Jobs.Cli.Tests.Updates;

/// <summary>
/// The worker's tools cannot strand a job: malformed values and settings are refused before
/// anything is sent, a dismissed job's worker is told to stop (exit 2), and <c>jobsctl run</c>
/// reports how its command ended.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class WorkerToolingTests(KestrelApi api)
{
    private Dictionary<string, string?> Worker(string jobId, string token, params (string, string?)[] extra) =>
        api.Environment([("JOBS_JOB_ID", jobId), ("JOBS_UPDATE_TOKEN", token), .. extra]);

    [Fact]
    public async Task An_output_that_starts_like_json_but_is_not_is_refused_with_the_reason()
    {
        var (jobId, token) = await api.NewJobAsync();

        var result = await CliRun.RunAsync(Worker(jobId, token), null, "update", "--status", "succeeded", "--output", "a={bad json");

        Assert.Equal(64, result.ExitCode);
        Assert.Contains("a={bad json", result.Error);
        Assert.Contains("not valid JSON", result.Error);
        Assert.Equal("accepted", (await api.JobAsync(jobId))["status"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("-3")]
    public async Task A_malformed_attempts_setting_is_refused_with_the_reason(string value)
    {
        var (jobId, token) = await api.NewJobAsync();

        var result = await CliRun.RunAsync(Worker(jobId, token, ("JOBS_UPDATE_ATTEMPTS", value)), null, "update", "--status", "running");

        Assert.Equal(64, result.ExitCode);
        Assert.Contains($"JOBS_UPDATE_ATTEMPTS '{value}'", result.Error);
        Assert.Equal("accepted", (await api.JobAsync(jobId))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_update_to_a_dismissed_job_exits_2_telling_the_worker_to_stop()
    {
        var (jobId, token) = await api.NewJobAsync();
        await api.DismissAsync(jobId);

        var result = await CliRun.RunAsync(Worker(jobId, token), null, "update", "--progress", "50", "--output", "checksum=s3://late/x");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("DISMISSED", result.Error);
        Assert.Contains("stop working", result.Error);
        Assert.Equal("dismissed", (await api.JobAsync(jobId))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Run_reports_running_then_succeeded_with_the_outputs_file()
    {
        var (jobId, token) = await api.NewJobAsync();
        var outputs = Path.Combine(Path.GetTempPath(), $"outputs-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(outputs, """{"checksum": {"class": "File", "location": "s3://bucket/out/c.sha256"}, "count": 3}""");

        var result = await CliRun.RunAsync(Worker(jobId, token), null,
            "run", "--check-every", "0", "--outputs-file", outputs, "--", "sh", "-c", "echo working >&2");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("working", result.Error);
        var job = await api.JobAsync(jobId);
        Assert.Equal("successful", job["status"]!.GetValue<string>());
        Assert.Equal("s3://bucket/out/c.sha256", job["outputs"]!["checksum"]!.GetValue<string>());
        Assert.Equal("3", job["outputs"]!["count"]!.GetValue<string>());
        var history = JsonNode.Parse(await api.Client.GetStringAsync($"/jobs/{jobId}/history"))!["events"]!.AsArray();
        Assert.Contains(history, e => e!["status"]?.GetValue<string>() == "running");
    }

    [Fact]
    public async Task Run_reports_a_failed_command_with_its_exit_code_and_stderr_tail_and_exits_with_that_code()
    {
        var (jobId, token) = await api.NewJobAsync();

        var result = await CliRun.RunAsync(Worker(jobId, token), null,
            "run", "--check-every", "0", "--stderr-lines", "2", "--", "sh", "-c", "echo one >&2; echo two >&2; echo three >&2; exit 7");

        Assert.Equal(7, result.ExitCode);
        var job = await api.JobAsync(jobId);
        Assert.Equal("failed", job["status"]!.GetValue<string>());
        Assert.Equal("command-failed", job["error"]!["type"]!.GetValue<string>());
        Assert.Equal("sh exited 7: two\nthree", job["error"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Run_of_a_command_that_cannot_start_reports_failed_and_exits_127()
    {
        var (jobId, token) = await api.NewJobAsync();

        var result = await CliRun.RunAsync(Worker(jobId, token), null, "run", "--check-every", "0", "--", "/nonexistent/worker");

        Assert.Equal(127, result.ExitCode);
        Assert.Equal("command-not-started", (await api.JobAsync(jobId))["error"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Run_stops_the_command_and_exits_2_when_the_job_is_dismissed_while_it_runs()
    {
        var (jobId, token) = await api.NewJobAsync();
        var marker = Path.Combine(Path.GetTempPath(), $"marker-{Guid.NewGuid():N}");

        // The first wait between dismissal checks is where a user dismisses the job.
        var result = await CliRun.RunAsync(Worker(jobId, token), null,
            ["run", "--check-every", "1s", "--", "sh", "-c", $"sleep 30; touch {marker}"],
            onWait: async n =>
            {
                if (n == 1)
                {
                    await api.DismissAsync(jobId);
                }
            });

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("DISMISSED", result.Error);
        Assert.False(File.Exists(marker));
        Assert.Equal("dismissed", (await api.JobAsync(jobId))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Run_does_not_start_the_command_for_a_job_already_dismissed()
    {
        var (jobId, token) = await api.NewJobAsync();
        await api.DismissAsync(jobId);
        var marker = Path.Combine(Path.GetTempPath(), $"marker-{Guid.NewGuid():N}");

        var result = await CliRun.RunAsync(Worker(jobId, token), null, "run", "--check-every", "0", "--", "touch", marker);

        Assert.Equal(2, result.ExitCode);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task Run_with_stdout_outputs_that_are_not_json_reports_failed()
    {
        var (jobId, token) = await api.NewJobAsync();

        var result = await CliRun.RunAsync(Worker(jobId, token), null, "run", "--check-every", "0", "--stdout-outputs", "--", "echo", "not json");

        Assert.Equal(65, result.ExitCode);
        Assert.Equal("outputs-unreadable", (await api.JobAsync(jobId))["error"]!["type"]!.GetValue<string>());
    }
}
