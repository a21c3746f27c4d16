using System.Text.Json.Nodes;

namespace Jobs.Api.Tests.Identity;

/// <summary>
/// Every way a user might reach another user's job: each job route and its ADES alias, the job
/// list with its query string, and the search DSL constructs that name a job or a user directly.
/// Shared by the API-key and the OpenID Connect tests, so both schemes meet the same rule.
/// </summary>
public static class CrossUserProbe
{
    /// <summary>Asserts that <paramref name="client"/> reaches nothing of the job <paramref name="otherJob"/> (of process <paramref name="processRef"/>, owned by <paramref name="otherUser"/>).</summary>
    public static async Task AssertReachesNoneAsync(HttpClient client, string otherJob, string otherUser, string processRef)
    {
        string Fill(string template) => template.Replace("@JOB", otherJob, StringComparison.Ordinal).Replace("@USER", otherUser, StringComparison.Ordinal);
        var processId = processRef.Split(':')[0];
        string[] notFound =
        [
            $"GET /jobs/{otherJob}", $"GET /jobs/{otherJob}/results", $"GET /jobs/{otherJob}/history", $"DELETE /jobs/{otherJob}",
            $"GET /processes/{processRef}/jobs/{otherJob}", $"GET /processes/{processId}/jobs/{otherJob}",
            $"GET /processes/{processRef}/jobs/{otherJob}/result", $"DELETE /processes/{processRef}/jobs/{otherJob}",
            $"DELETE /processes/{processId}/jobs/{otherJob}", $"GET /jobs/_doc/{otherJob}",
            $"GET /jobs/{Uri.EscapeDataString(otherJob)}?user={otherUser}",
        ];
        foreach (var route in notFound)
        {
            var (method, path) = (route.Split(' ')[0], route.Split(' ')[1]);
            var (status, body) = await client.SendAsync(new HttpMethod(method), path);
            Assert.True(status == 404, $"{route} answered {status}: {body?.ToJsonString()}");
            Assert.DoesNotContain(otherUser, body?.ToJsonString() ?? "", StringComparison.Ordinal);
        }

        string[] lists =
        [
            "/jobs", $"/jobs?user={otherUser}", $"/jobs?processID={processRef}", $"/processes/{processRef}/jobs", $"/processes/{processId}/jobs",
            $"/jobs?q={otherJob}", $"/jobs/_search?q=user-id:{otherUser}", $"/jobs/_search?q=id:{otherJob}", "/jobs/_search?size=1000",
        ];
        foreach (var path in lists)
        {
            var (status, body) = await client.SendAsync(HttpMethod.Get, path);
            Assert.True(status is 200 or 400, $"{path} answered {status}");
            (body as JsonObject)?.Remove("links"); // the self link repeats the query string
            Assert.DoesNotContain(otherJob, body?.ToJsonString() ?? "", StringComparison.Ordinal);
        }

        string[] searches =
        [
            """{"query":{"ids":{"values":["@JOB"]}}}""",
            """{"query":{"terms":{"user-id":["@USER"]}}}""",
            """{"query":{"term":{"user-id":"@USER"}}}""",
            """{"query":{"bool":{"should":[{"match_all":{}},{"ids":{"values":["@JOB"]}}],"minimum_should_match":0}}}""",
            """{"query":{"bool":{"should":[{"term":{"user-id":"@USER"}}]}},"_source":["id","user-id","token-sha256"]}""",
            """{"size":1000,"_source":true,"query":{"match_all":{}}}""",
            """{"size":100,"sort":[{"id":"asc"}],"search_after":["@JOB"]}""",
            """{"size":100,"sort":[{"id":"desc"}],"search_after":["@JOB"]}""",
            """{"size":0,"aggs":{"users":{"terms":{"field":"user-id","size":100}},"ids":{"terms":{"field":"id","size":1000}}}}""",
            """{"size":0,"aggs":{"all":{"global":{},"aggs":{"ids":{"terms":{"field":"id"}}}}}}""",
            """{"query":{"match_all":{}},"post_filter":{"ids":{"values":["@JOB"]}}}""",
            """{"query":{"query_string":{"query":"user-id:@USER OR id:@JOB"}}}""",
            """{"query":{"terms":{"id":{"index":"jobs","id":"@JOB","path":"id"}}}}""",
        ];
        foreach (var search in searches.Select(Fill))
        {
            var (status, body) = await client.SendAsync(HttpMethod.Post, "/jobs/_search", search);
            Assert.True(status is 200 or 400, $"{search} answered {status}");
            var text = body?.ToJsonString() ?? "";
            Assert.DoesNotContain(otherJob, text, StringComparison.Ordinal);
            Assert.DoesNotContain(otherUser, text.Replace(search, "", StringComparison.Ordinal), StringComparison.Ordinal);
        }

        foreach (var count in ((string[])["""{"query":{"ids":{"values":["@JOB"]}}}""", """{"query":{"term":{"user-id":"@USER"}}}"""]).Select(Fill))
        {
            var (status, body) = await client.SendAsync(HttpMethod.Post, "/jobs/_count", count);
            Assert.Equal(200, status);
            Assert.Equal(0, body!["count"]!.GetValue<int>());
        }
    }

    /// <summary>The job as its owner (or an admin) sees it: still there, not dismissed by the probe.</summary>
    public static async Task AssertUntouchedAsync(HttpClient owner, string job)
    {
        var (status, body) = await owner.SendAsync(HttpMethod.Get, $"/jobs/{job}");
        Assert.Equal(200, status);
        Assert.Equal("accepted", body!["status"]!.GetValue<string>());
    }
}
