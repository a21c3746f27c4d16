using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jobs.Tests.Shared;

namespace Jobs.Dispatch.Tests.Local;

public sealed partial class LocalDispatchTests
{
    /// <summary>
    /// kill -9 of the API while cwltool runs a job: the orphaned cwltool (and the tool it runs)
    /// would go on unwatched and the job would stay running for ever. When the API starts again
    /// on the same data, it stops the orphan and fails the job, saying why and what to do.
    /// </summary>
    [SkippableFact]
    public async Task After_kill_9_the_restarted_api_stops_the_orphaned_workflow_and_fails_its_job()
    {
        Skip.If(Repo.Cwltool is null, Repo.NoCwltool);
        var data = Path.Combine(Path.GetTempPath(), "jobs-dispatch-kill", Guid.NewGuid().ToString("N"));
        var environment = new Dictionary<string, string>
        {
            ["Jobs__Embedded__DataPath"] = Path.Combine(data, "store"),
            ["Jobs__Dispatch__Mode"] = "local",
            ["Jobs__Dispatch__TokenKeyFile"] = Path.Combine(data, "dispatch-token.key"),
            ["Jobs__Dispatch__Local__WorkPath"] = Path.Combine(data, "runs"),
        };
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var url = ApiProcess.FreeUrl();
        var gate = Path.Combine(data, "never-opened");
        ApiProcess? api = null;
        try
        {
            api = await ApiProcess.StartAsync(url, environment, http);
            (await http.PostAsync($"{url}/processes", new StringContent(GatePackage, System.Text.Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
            var created = await http.PostAsJsonAsync($"{url}/processes/gate:1/jobs", new JsonObject { ["inputs"] = new JsonObject { ["gate"] = gate } });
            var jobId = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["jobID"]!.GetValue<string>();
            await WaitForFileAsync(gate + ".pid");
            var toolPid = int.Parse((await File.ReadAllTextAsync(gate + ".pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            var running = await JobAsync();
            Assert.Equal("running", running["status"]!.GetValue<string>());
            var cwltoolPid = int.Parse(Pid().Match(running["message"]!.GetValue<string>()).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

            await api.KillAsync();
            api.Dispose();
            Assert.True(Alive(cwltoolPid) && Alive(toolPid), "the workflow outlives the killed API (nothing else stops it)");

            api = await ApiProcess.StartAsync(url, environment, http);

            await WaitUntilAsync(() => !Alive(cwltoolPid) && !Alive(toolPid), "the restarted API to stop the orphaned cwltool and its tool");
            JsonNode job = running;
            await WaitUntilAsync(async () => (job = await JobAsync())["status"]!.GetValue<string>() != "running", "the job to leave running");
            Assert.Equal("failed", job["status"]!.GetValue<string>());
            Assert.Equal("interrupted", job["error"]!["type"]!.GetValue<string>());
            Assert.Contains($"pid {cwltoolPid}", job["error"]!["message"]!.GetValue<string>());
            Assert.Contains($"jobsctl resubmit {jobId}", job["error"]!["message"]!.GetValue<string>());
            Assert.False(File.Exists(Path.Combine(data, "runs", jobId, "runner.json")));

            async Task<JsonNode> JobAsync() => JsonNode.Parse(await http.GetStringAsync($"{url}/jobs/{jobId}"))!;
        }
        finally
        {
            api?.Dispose();
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
                // a temporary directory left behind is harmless
            }
        }
    }
}
