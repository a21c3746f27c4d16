using System.Net;
using System.Security.Cryptography;
using System.Text;
using Jobs.Api.Identity;

namespace Jobs.Api.Tests.Identity;

public class NewApiKeyCommandTests
{
    [Fact]
    public async Task The_printed_lines_configure_a_key_that_authenticates_as_the_user()
    {
        var output = new StringWriter();
        var exit = NewApiKeyCommand.Run(["--name", "ci", "--user", "alice", "--roles", "jobs-admin,ops"], output, TextWriter.Null);

        Assert.Equal(0, exit);
        var lines = output.ToString().Split('\n', StringSplitOptions.TrimEntries);
        var key = lines[1];
        var settings = lines.Where(l => l.StartsWith("Jobs__Auth__ApiKeys__", StringComparison.Ordinal))
            .Select(l => l.Split('=', 2)).ToDictionary(p => p[0].Replace("__", ":", StringComparison.Ordinal), p => p[1]);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))), settings["Jobs:Auth:ApiKeys:0:Sha256"]);
        Assert.DoesNotContain(key, string.Join("\n", settings.Values), StringComparison.Ordinal);
        Assert.Equal(["jobs-admin", "ops"], [settings["Jobs:Auth:ApiKeys:0:Roles:0"], settings["Jobs:Auth:ApiKeys:0:Roles:1"]]);

        using var factory = new JobsApiFactory();
        foreach (var (name, value) in settings)
        {
            factory.Settings[name] = value;
        }

        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("ApiKey", key);
        await client.DeployAsync("printed-key", "1");
        var (job, _) = await client.ExecuteAsync("printed-key:1");
        Assert.Equal("alice", (await client.GetJsonAsync($"/jobs/_doc/{job}"))["_source"]!["user-id"]!.GetValue<string>());

        client.DefaultRequestHeaders.Authorization = new("ApiKey", key + "x");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/jobs")).StatusCode);
    }

    [Fact]
    public void Without_a_user_it_says_what_is_missing()
    {
        var error = new StringWriter();

        Assert.Equal(2, NewApiKeyCommand.Run(["--name", "ci"], TextWriter.Null, error));
        Assert.Contains("--user", error.ToString(), StringComparison.Ordinal);
    }
}
