using System.Text.Json.Nodes;

namespace Jobs.Cli.Tests.Cwl;

/// <summary>
/// The CWL tools under Debian's cwltool (<c>--no-container</c>, the built <c>jobsctl</c> on the
/// PATH) against the real API on a loopback port: the example workflow moves its job, a failing
/// step wrapped in <c>jobsctl run</c> ends the job failed, a dismissed job stops the workflow,
/// and the update token appears nowhere in what cwltool prints. Skipped when cwltool is absent.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class CwltoolTests(KestrelApi api)
{
    private static readonly string? Cwltool = new[] { "/usr/bin/cwltool", "/usr/local/bin/cwltool" }.FirstOrDefault(File.Exists);

    private static string Workflow => Path.Combine(Repo.Root, "infra", "cwl", "example-workflow.cwl");

    private static string Tool => Path.Combine(Repo.Root, "infra", "cwl", "update-job.cwl");

    [SkippableFact]
    public async Task The_example_workflow_reports_running_and_succeeded_and_never_prints_the_token()
    {
        Skip.If(Cwltool is null, "cwltool is not installed (apt-get install cwltool; .ci/run installs it)");
        var (jobId, token) = await api.NewJobAsync("cwl");
        var work = WorkDirectory();
        var input = Path.Combine(work, "granule.nc");
        await File.WriteAllTextAsync(input, "not empty");
        var jobFile = await JobFileAsync(work, jobId, token, input);

        // --debug prints the most: the job order, every command line, every step's inputs.
        var result = await Repo.RunAsync(Cwltool!, ["--debug", "--no-container", "--outdir", Path.Combine(work, "out"), Workflow, jobFile], Environment(), work);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.DoesNotContain(token, result.Out + result.Error);
        Assert.Contains("(secret-", result.Error);
        var job = await api.JobAsync(jobId);
        Assert.Equal("successful", job["status"]!.GetValue<string>());
        Assert.Equal("s3://bucket/out/granule.nc.sha256", job["outputs"]!["checksum"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task A_failing_step_under_jobsctl_run_ends_the_job_failed_with_the_runner_s_stderr()
    {
        Skip.If(Cwltool is null, "cwltool is not installed (apt-get install cwltool; .ci/run installs it)");
        var (jobId, token) = await api.NewJobAsync("cwl");
        var work = WorkDirectory();
        var empty = Path.Combine(work, "empty.nc");
        await File.WriteAllTextAsync(empty, "");
        var jobFile = await JobFileAsync(work, jobId, token, empty);

        var result = await Repo.RunAsync(Path.Combine(AppContext.BaseDirectory, "jobsctl"),
            ["run", "--", Cwltool!, "--no-container", "--outdir", Path.Combine(work, "out"), Workflow, jobFile],
            Environment(("JOBS_JOB_ID", jobId), ("JOBS_UPDATE_TOKEN", token), ("JOBS_API_URL", api.Url)), work);

        Assert.NotEqual(0, result.ExitCode);
        Assert.DoesNotContain(token, result.Out + result.Error);
        var job = await api.JobAsync(jobId);
        Assert.Equal("failed", job["status"]!.GetValue<string>());
        Assert.Equal("command-failed", job["error"]!["type"]!.GetValue<string>());
        Assert.Contains("permanentFail", job["error"]!["message"]!.GetValue<string>());
        Assert.DoesNotContain(token, job["error"]!["message"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task The_update_tool_alone_masks_its_token_and_a_dismissed_job_fails_the_step_for_good()
    {
        Skip.If(Cwltool is null, "cwltool is not installed (apt-get install cwltool; .ci/run installs it)");
        var (jobId, token) = await api.NewJobAsync("cwl");
        var work = WorkDirectory();
        var order = Path.Combine(work, "update.yml");
        await File.WriteAllTextAsync(order, $"job_id: {jobId}\ntoken: '{token}'\napi_url: {api.Url}\nprogress: 42\n");

        var first = await Repo.RunAsync(Cwltool!, ["--no-container", "--outdir", Path.Combine(work, "out"), Tool, order], Environment(), work);
        await api.DismissAsync(jobId);
        var second = await Repo.RunAsync(Cwltool!, ["--no-container", "--outdir", Path.Combine(work, "out2"), Tool, order], Environment(), work);

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.DoesNotContain(token, first.Out + first.Error);
        Assert.NotEqual(0, second.ExitCode);
        Assert.Contains("permanentFail", second.Error);
        Assert.Contains("DISMISSED", second.Error);
        Assert.DoesNotContain(token, second.Out + second.Error);
        Assert.Equal(42, (await api.JobAsync(jobId))["progress"]!.GetValue<int>());
    }

    private Dictionary<string, string?> Environment(params (string Name, string? Value)[] extra)
    {
        var environment = api.Environment(extra);
        environment["PATH"] = $"{AppContext.BaseDirectory}:{System.Environment.GetEnvironmentVariable("PATH")}";
        return environment;
    }

    private static string WorkDirectory()
    {
        var work = Path.Combine(Path.GetTempPath(), "jobsctl-cwl", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        return work;
    }

    private async Task<string> JobFileAsync(string work, string jobId, string token, string input)
    {
        var file = Path.Combine(work, "job.yml");
        await File.WriteAllTextAsync(file, $"""
            job_id: {jobId}
            update_token: '{token}'
            api_url: {api.Url}
            input_file: {"{"}class: File, path: {input}{"}"}
            output_base_url: s3://bucket/out
            """);
        return file;
    }
}
