using System.Text.Json.Nodes;
using static Jobs.Embedded.Tests.TestJobs;

namespace Jobs.Embedded.Tests.Search;

/// <summary>
/// The embedded store adds the job id as the last sort key when a sort does not name it, so that
/// paging with search_after by any sort never skips or repeats a job (Elasticsearch asks the
/// client for such a tiebreaker, or adds <c>_shard_doc</c> in a point-in-time search).
/// </summary>
public sealed class SearchTiebreakTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();

    private static List<string> Ids(JsonObject response) =>
        [.. response["hits"]!["hits"]!.AsArray().Select(h => h!["_id"]!.GetValue<string>())];

    private async Task<EmbeddedJobStore> StoreWithTiesAsync()
    {
        var store = _dir.OpenStore();
        foreach (var id in new[] { "j-3", "j-1", "j-4", "j-0", "j-2" })
        {
            await store.CreateAsync(Job(id, id is "j-1" or "j-4" ? ["x"] : null), CancellationToken.None);
        }

        return store;
    }

    [Fact]
    public async Task Hits_of_a_sort_without_id_carry_the_id_as_a_last_sort_value()
    {
        using var store = await StoreWithTiesAsync();

        var response = await store.SearchAsync(Json("""{"sort":[{"created":"desc"}],"size":1}"""), CancellationToken.None);

        var sort = response["hits"]!["hits"]![0]!["sort"]!.AsArray();
        Assert.Equal(2, sort.Count);
        Assert.Equal("j-0", sort[1]!.GetValue<string>());
    }

    [Fact]
    public async Task Paging_by_a_sort_full_of_ties_visits_every_job_once_in_id_order_within_ties()
    {
        using var store = await StoreWithTiesAsync();
        var seen = new List<string>();
        JsonNode? after = null;
        for (var page = 0; page < 10; page++)
        {
            var body = Json("""{"sort":[{"labels":{"order":"asc","missing":"_last"}}],"size":2}""");
            if (after is not null)
            {
                body["search_after"] = after.DeepClone();
            }

            var hits = (await store.SearchAsync(body, CancellationToken.None))["hits"]!["hits"]!.AsArray();
            if (hits.Count == 0)
            {
                break;
            }

            seen.AddRange(hits.Select(h => h!["_id"]!.GetValue<string>()));
            after = hits[^1]!["sort"];
        }

        Assert.Equal(["j-1", "j-4", "j-0", "j-2", "j-3"], seen);
    }

    [Fact]
    public async Task Search_after_with_only_the_requested_values_skips_ties_as_elasticsearch_does()
    {
        using var store = await StoreWithTiesAsync();

        var response = await store.SearchAsync(Json("""{"sort":[{"labels":"asc"}],"search_after":["x"],"size":10}"""), CancellationToken.None);

        Assert.Equal(["j-0", "j-2", "j-3"], Ids(response));
    }

    [Fact]
    public async Task Mapping_is_reported_with_fields_in_name_order()
    {
        using var store = await StoreWithTiesAsync();

        var mapping = await store.GetMappingAsync(CancellationToken.None);

        var names = mapping.Single().Value!["mappings"]!["properties"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Contains("message", names);
    }
}
