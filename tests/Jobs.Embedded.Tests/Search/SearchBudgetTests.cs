using System.Text.Json.Nodes;
using Jobs.Search.Limits;
using Microsoft.Extensions.Time.Testing;
using static Jobs.Embedded.Tests.TestJobs;

namespace Jobs.Embedded.Tests.Search;

/// <summary>
/// Issue 12: a search that runs past <c>Jobs:Search:Timeout</c> stops and answers
/// <c>timed_out: true</c> with what it has. The store's clock is a fake that moves a second each
/// time it is read, so the budget runs out after a known number of reads, without waiting.
/// </summary>
public sealed class SearchBudgetTests : IDisposable
{
    private const int Jobs = 20;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<EmbeddedJobStore> StoreAsync(FakeTimeProvider clock, TimeSpan timeout)
    {
        var store = new EmbeddedJobStore(
            new EmbeddedStoreOptions { DataPath = _dir.Path, CheckpointSeconds = 3600, Search = new SearchLimits { Timeout = timeout } },
            clock);
        for (var i = 0; i < Jobs; i++)
        {
            await store.CreateAsync(Job($"j-{i}"), CancellationToken.None);
        }

        return store;
    }

    private static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();

    [Fact]
    public async Task A_search_past_its_budget_answers_timed_out_with_the_hits_it_collected()
    {
        var clock = new FakeTimeProvider(T0);
        using var store = await StoreAsync(clock, TimeSpan.FromSeconds(4));
        clock.AutoAdvanceAmount = TimeSpan.FromSeconds(1);

        var response = await store.SearchAsync(Json("""{"size":100,"track_total_hits":true}"""), CancellationToken.None);

        Assert.True(response["timed_out"]!.GetValue<bool>());
        var total = response["hits"]!["total"]!["value"]!.GetValue<int>();
        Assert.InRange(total, 0, Jobs - 1);
        Assert.Equal(total, response["hits"]!["hits"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_request_timeout_shorter_than_the_budget_is_honoured()
    {
        var clock = new FakeTimeProvider(T0);
        using var store = await StoreAsync(clock, TimeSpan.FromHours(1));
        clock.AutoAdvanceAmount = TimeSpan.FromSeconds(1);

        var response = await store.SearchAsync(Json("""{"timeout":"2s","size":100}"""), CancellationToken.None);

        Assert.True(response["timed_out"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_count_past_its_budget_says_so_and_gives_the_count_so_far()
    {
        var clock = new FakeTimeProvider(T0);
        using var store = await StoreAsync(clock, TimeSpan.FromSeconds(3));
        clock.AutoAdvanceAmount = TimeSpan.FromSeconds(1);

        var response = await store.CountAsync(null, CancellationToken.None);

        Assert.True(response["timed_out"]!.GetValue<bool>());
        Assert.InRange(response["count"]!.GetValue<int>(), 0, Jobs - 1);
    }

    [Fact]
    public async Task A_search_within_its_budget_is_not_timed_out()
    {
        var clock = new FakeTimeProvider(T0);
        using var store = await StoreAsync(clock, TimeSpan.FromSeconds(1));

        var response = await store.SearchAsync(Json("""{"size":100,"track_total_hits":true}"""), CancellationToken.None);

        Assert.False(response["timed_out"]!.GetValue<bool>());
        Assert.Equal(Jobs, response["hits"]!["total"]!["value"]!.GetValue<int>());
    }
}
