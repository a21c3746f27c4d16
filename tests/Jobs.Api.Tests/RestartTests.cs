namespace Jobs.Api.Tests;

public class RestartTests
{
    [Fact]
    public async Task Jobs_processes_and_updates_survive_a_restart_on_the_same_data_path()
    {
        var path = Path.Combine(Path.GetTempPath(), "jobs-api-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var ids = new List<string>();
            string updated;
            using (var first = JobsApiFactory.OnPath(path))
            {
                var client = first.CreateClient();
                await client.DeployAsync("restart", "1");
                for (var i = 0; i < 20; i++)
                {
                    ids.Add((await client.ExecuteAsync("restart:1", $"n{i}")).JobId);
                }

                var (jobId, token) = await client.ExecuteAsync("restart:1");
                await client.UpdateAsync(jobId, token, "\"status\":\"succeeded\",\"outputs\":{\"output\":\"s3://b/r\"}");
                updated = jobId;
            }

            using var second = JobsApiFactory.OnPath(path);
            var again = second.CreateClient();
            foreach (var id in ids)
            {
                Assert.Equal(id, (await again.GetJsonAsync($"/jobs/{id}"))["jobID"]!.GetValue<string>());
            }

            var job = await again.GetJsonAsync($"/jobs/{updated}");
            Assert.Equal("successful", job["status"]!.GetValue<string>());
            Assert.Equal("s3://b/r", job["outputs"]!["output"]!.GetValue<string>());
            Assert.Equal("restart", (await again.GetJsonAsync("/processes/restart:1"))["id"]!.GetValue<string>());
            Assert.Equal(21, (await again.GetJsonAsync("/jobs/_count"))["count"]!.GetValue<int>());
        }
        finally
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
    }
}
