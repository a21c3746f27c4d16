using System.Text.Json.Nodes;
using Jobs.Core.Search;
using static Jobs.Embedded.Tests.TestJobs;

namespace Jobs.Embedded.Tests.Search;

/// <summary>Date math that leaves the calendar reaches the store as Elasticsearch's parse error (a 400), never as a crash.</summary>
public sealed class DateRangeTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("now+20000y")]
    [InlineData("now-99999999999d")]
    [InlineData("99999999999999999||+1d")]
    [InlineData("0000-01-01")]
    public async Task A_date_past_the_calendar_is_a_parse_exception(string bound)
    {
        using var store = _dir.OpenStore();
        await store.CreateAsync(Job("j-1"), CancellationToken.None);
        var body = new JsonObject { ["query"] = new JsonObject { ["range"] = new JsonObject { ["created"] = new JsonObject { ["gte"] = bound } } } };

        var e = await Assert.ThrowsAsync<SearchException>(() => store.SearchAsync(body, CancellationToken.None));

        // Elasticsearch's shape for a shard's refusal: the phase failed, the root cause says why.
        Assert.Equal((400, "search_phase_execution_exception"), (e.Status, e.Type));
        Assert.Equal("parse_exception", e.ToResponse()["error"]!["root_cause"]![0]!["type"]!.GetValue<string>());
    }
}
