using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Jobs.Dispatch.Tests.Local;

/// <summary>
/// <c>Jobs:Dispatch:Mode=local</c> with Debian's cwltool against the real API on a loopback
/// port: the example workflow (its Update Job steps running the built jobsctl) ends successful
/// with its outputs, a failing step ends the job failed with cwltool's exit code and stderr,
/// an inline CWL's output object becomes the job's outputs, MaxParallel holds the next job in
/// the queue, and dismissing a running job kills cwltool and the tool it runs.
/// </summary>
public sealed partial class LocalDispatchTests
{
    private static readonly string ExampleWorkflow = Path.Combine(Repo.Root, "infra", "cwl", "example-workflow.cwl");

    private static DispatchApi Api(int maxParallel = 2) => new(new Dictionary<string, string?>
    {
        ["Jobs:Dispatch:Mode"] = "local",
        ["Jobs:Dispatch:Local:MaxParallel"] = maxParallel.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Jobs:Dispatch:Local:DismissPollInterval"] = "00:00:00.200",
        ["Jobs:Dispatch:Local:Environment:PATH"] = Repo.PathWithJobsctl,
    });

    /// <summary>The example workflow as a process whose execution unit is a local path.</summary>
    private static string ExamplePackage => new JsonObject
    {
        ["processDescription"] = JsonNode.Parse("""
            {"id": "checksum-local", "version": "1", "title": "Checksum a file",
             "inputs": {"input_file": {"schema": {"type": "object"}}, "output_base_url": {"schema": {"type": "string"}}},
             "outputs": {"checksum": {"schema": {"type": "string"}}}}
            """),
        ["executionUnit"] = new JsonObject { ["type"] = "application/cwl", ["href"] = ExampleWorkflow },
    }.ToJsonString();

    /// <summary>
    /// An inline CWL tool that records its shell's pid in &lt;gate&gt;.pid, waits until the file
    /// &lt;gate&gt; exists, then prints "released"; outputs: that stdout (a File) and a number.
    /// </summary>
    private const string GatePackage = """
        {"processDescription": {"id": "gate", "version": "1",
           "inputs": {"gate": {"schema": {"type": "string"}}},
           "outputs": {"said": {"schema": {"type": "string"}}, "answer": {"schema": {"type": "integer"}}}},
         "executionUnit": {"type": "application/cwl", "unit": {
           "cwlVersion": "v1.2", "class": "CommandLineTool",
           "requirements": {"InlineJavascriptRequirement": {}},
           "baseCommand": ["sh", "-c", "echo $$ > \"$0.pid\"; while [ ! -e \"$0\" ]; do sleep 0.1; done; echo released"],
           "inputs": {"gate": {"type": "string", "inputBinding": {"position": 1}}},
           "stdout": "said.txt",
           "outputs": {"said": {"type": "stdout"}, "answer": {"type": "int", "outputBinding": {"outputEval": "$(6 * 7)"}}}}}}
        """;

    [SkippableFact]
    public async Task The_example_workflow_runs_and_its_job_ends_successful_with_its_outputs()
    {
        Skip.If(Repo.Cwltool is null, Repo.NoCwltool);
        using var api = Api();
        var created = await ExecuteExampleAsync(api, "granule.nc", "some granule");
        var jobId = created["jobID"]!.GetValue<string>();
        var job = await api.WaitAsync(jobId, j => j["status"]!.GetValue<string>() is "successful" or "failed");

        Assert.True(job["status"]!.GetValue<string>() == "successful", job.ToJsonString());
        // The workflow's own Update Job step reported the stage-out URL; the runner did not overwrite it.
        Assert.Equal("s3://bucket/out/granule.nc.sha256", job["outputs"]!["checksum"]!.GetValue<string>());

        // The workflow's last step reports before cwltool exits; the runner's own report follows.
        var sources = new List<string>();
        await WaitUntilAsync(async () =>
        {
            sources = [.. (await api.HistoryAsync(jobId)).Select(e => $"{e!["source"]}:{e["status"]}")];
            return sources.Contains("dispatch:succeeded");
        }, "the runner's succeeded report");
        Assert.Contains("dispatch:running", sources);
        Assert.Contains("api:running", sources);      // the workflow's job_running step, with the token it was given
        Assert.Contains("api:succeeded", sources);    // its job_succeeded step
        Assert.Equal("s3://bucket/out/granule.nc.sha256", (await api.JobAsync(jobId))["outputs"]!["checksum"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task A_failing_step_ends_the_job_failed_with_the_exit_code_and_the_end_of_stderr()
    {
        Skip.If(Repo.Cwltool is null, Repo.NoCwltool);
        using var api = Api();
        var created = await ExecuteExampleAsync(api, "empty.nc", "");
        var jobId = created["jobID"]!.GetValue<string>();
        var token = created["updateToken"]!.GetValue<string>();
        var job = await api.WaitAsync(jobId, j => j["status"]!.GetValue<string>() is "successful" or "failed");

        Assert.Equal("failed", job["status"]!.GetValue<string>());
        Assert.Equal("workflow-failed", job["error"]!["type"]!.GetValue<string>());
        var message = job["error"]!["message"]!.GetValue<string>();
        Assert.StartsWith("cwltool exited with code 1: ", message);
        Assert.Contains("empty.nc is empty", message);        // the failing step's own stderr
        Assert.Contains("permanentFail", message);            // cwltool's verdict
        Assert.DoesNotContain(token, message);
        Assert.DoesNotContain("\u001b[", message);
    }

    [SkippableFact]
    public async Task An_inline_unit_s_output_object_becomes_the_job_s_outputs()
    {
        Skip.If(Repo.Cwltool is null, Repo.NoCwltool);
        using var api = Api();
        await api.DeployAsync(GatePackage);
        var gate = Path.Combine(api.Data, "open-gate");
        Directory.CreateDirectory(api.Data);
        await File.WriteAllTextAsync(gate, "");

        var jobId = (await api.ExecuteAsync("gate:1", new JsonObject { ["gate"] = gate }))["jobID"]!.GetValue<string>();
        var job = await api.WaitAsync(jobId, j => j["status"]!.GetValue<string>() is "successful" or "failed");

        Assert.True(job["status"]!.GetValue<string>() == "successful", job.ToJsonString());
        Assert.Equal(42, job["outputs"]!["answer"]!.GetValue<int>());
        var said = new Uri(job["outputs"]!["said"]!.GetValue<string>());
        Assert.Equal("file", said.Scheme);
        Assert.StartsWith(Path.Combine(api.Data, "runs", jobId, "outputs"), said.LocalPath);
        Assert.Equal("released", (await File.ReadAllTextAsync(said.LocalPath)).Trim());
    }

    [SkippableFact]
    public async Task With_MaxParallel_1_the_second_job_waits_accepted_until_the_first_has_finished()
    {
        Skip.If(Repo.Cwltool is null, Repo.NoCwltool);
        using var api = Api(maxParallel: 1);
        await api.DeployAsync(GatePackage);
        Directory.CreateDirectory(api.Data);
        var gateA = Path.Combine(api.Data, "gate-a");
        var gateB = Path.Combine(api.Data, "gate-b");

        var a = (await api.ExecuteAsync("gate:1", new JsonObject { ["gate"] = gateA }))["jobID"]!.GetValue<string>();
        var b = (await api.ExecuteAsync("gate:1", new JsonObject { ["gate"] = gateB }))["jobID"]!.GetValue<string>();
        await api.WaitAsync(a, DispatchApi.Status("running"));
        await WaitForFileAsync(gateA + ".pid");

        // A holds the only slot: B is queued, accepted, and its tool never started.
        Assert.Equal("accepted", (await api.JobAsync(b))["status"]!.GetValue<string>());
        Assert.False(File.Exists(gateB + ".pid"));

        await File.WriteAllTextAsync(gateA, "");
        var doneA = await api.WaitAsync(a, DispatchApi.Status("successful"));
        await api.WaitAsync(b, DispatchApi.Status("running"));
        await File.WriteAllTextAsync(gateB, "");
        var doneB = await api.WaitAsync(b, DispatchApi.Status("successful"));

        Assert.True(doneB["started"]!.GetValue<DateTimeOffset>() >= doneA["finished"]!.GetValue<DateTimeOffset>(),
            $"B started {doneB["started"]} before A finished {doneA["finished"]}");
    }

    [SkippableFact]
    public async Task Dismissing_a_running_job_kills_cwltool_and_the_tool_it_started()
    {
        Skip.If(Repo.Cwltool is null, Repo.NoCwltool);
        using var api = Api();
        await api.DeployAsync(GatePackage);
        Directory.CreateDirectory(api.Data);
        var gate = Path.Combine(api.Data, "never-opened");

        var jobId = (await api.ExecuteAsync("gate:1", new JsonObject { ["gate"] = gate }))["jobID"]!.GetValue<string>();
        var running = await api.WaitAsync(jobId, DispatchApi.Status("running"));
        await WaitForFileAsync(gate + ".pid");
        var toolPid = int.Parse((await File.ReadAllTextAsync(gate + ".pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var cwltoolPid = int.Parse(Pid().Match(running["message"]!.GetValue<string>()).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Alive(cwltoolPid) && Alive(toolPid));

        (await api.Client.DeleteAsync($"/jobs/{jobId}")).EnsureSuccessStatusCode();

        await WaitUntilAsync(() => !Alive(cwltoolPid) && !Alive(toolPid), "cwltool and its tool to be killed");
        Assert.Equal("dismissed", (await api.JobAsync(jobId))["status"]!.GetValue<string>());
    }

    /// <summary>Deploys the example workflow and executes it on a file of <paramref name="content"/> in the API's data directory.</summary>
    private static async Task<JsonNode> ExecuteExampleAsync(DispatchApi api, string fileName, string content)
    {
        await api.DeployAsync(ExamplePackage);
        var input = Path.Combine(api.Data, fileName);
        Directory.CreateDirectory(api.Data);
        await File.WriteAllTextAsync(input, content);
        return await api.ExecuteAsync("checksum-local:1", new JsonObject
        {
            ["input_file"] = new JsonObject { ["class"] = "File", ["path"] = input },
            ["output_base_url"] = "s3://bucket/out",
        });
    }

    private static bool Alive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException)
        {
            return false;
        }
    }

    private static Task WaitForFileAsync(string path) => WaitUntilAsync(() => File.Exists(path) && new FileInfo(path).Length > 0, path);

    private static Task WaitUntilAsync(Func<bool> condition, string what) => WaitUntilAsync(() => Task.FromResult(condition()), what);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(100);
        }
    }

    [GeneratedRegex(@"pid (\d+)")]
    private static partial Regex Pid();
}
