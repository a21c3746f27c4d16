using System.Text.Json.Nodes;
using Jobs.Core.Jobs;
using static Jobs.Embedded.Tests.TestJobs;

namespace Jobs.Embedded.Tests.Search;

/// <summary>
/// A search sorted first by a date or a number looks only at a window of values next to the page
/// (SortWindow). Over a corpus large enough for windows to be narrower than the data, with many
/// ties and missing values, every page must be the one the full sort gives: checked against the
/// order computed here, for several sorts, filters, page sizes and search_after walks.
/// </summary>
public sealed class SortWindowTests(SortWindowTests.Corpus corpus) : IClassFixture<SortWindowTests.Corpus>
{
    private static readonly string[] Labels = ["l0", "l1", "l2", "l3", "l4"];

    private readonly List<JobDocument> _jobs = corpus.Jobs;
    private readonly EmbeddedJobStore _store = corpus.Store;

    /// <summary>4,000 jobs in one store, read by every case (none of them writes).</summary>
    public sealed class Corpus : IAsyncLifetime
    {
        private readonly TempDirectory _dir = new();

        public List<JobDocument> Jobs { get; } = [];

        public EmbeddedJobStore Store { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Store = _dir.OpenStore();
            var random = new Random(7);
            for (var i = 0; i < 4_000; i++)
            {
                // Seconds over about half an hour: many jobs share a created time (ties broken by id).
                var created = T0.AddSeconds(random.Next(0, 2_000));
                Jobs.Add(Job($"w-{random.Next(0, 1_000_000):D7}-{i}", [Labels[random.Next(Labels.Length)]]) with
                {
                    Created = created,
                    StopTime = random.Next(3) == 0 ? created.AddMinutes(random.Next(1, 600)) : null,
                    Progress = random.Next(2) == 0 ? random.Next(0, 101) : null,
                });
            }

            foreach (var chunk in Jobs.Chunk(200))
            {
                await Task.WhenAll(chunk.Select(job => Store.CreateAsync(job, CancellationToken.None)));
            }
        }

        public Task DisposeAsync()
        {
            Store.Dispose();
            _dir.Dispose();
            return Task.CompletedTask;
        }
    }

    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var sort in new[] { "created:desc", "created:asc", "stop-time:desc", "stop-time:asc", "progress:desc", "progress:asc" })
        {
            foreach (var filter in new[] { "all", "label", "label+progress", "rare" })
            {
                data.Add(sort.Split(':')[0], sort.Split(':')[1], filter);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Search_after_walks_give_the_pages_of_the_full_sort(string field, string order, string filter)
    {
        var expected = Expected(field, order, filter);

        foreach (var size in new[] { 7, 97 })
        {
            var seen = new List<string>();
            JsonNode? after = null;
            for (var page = 0; page < (size == 7 ? 25 : 100); page++)
            {
                var body = Body(field, order, filter);
                body["size"] = size;
                body["track_total_hits"] = true;
                if (after is not null)
                {
                    body["search_after"] = after.DeepClone();
                }

                var response = await _store.SearchAsync(body, CancellationToken.None);
                Assert.Equal(expected.Count, response["hits"]!["total"]!["value"]!.GetValue<long>());
                var hits = response["hits"]!["hits"]!.AsArray();
                if (hits.Count == 0)
                {
                    break;
                }

                // Each page is whole: the next `size` jobs of the full order, not fewer.
                var ids = hits.Select(h => h!["_id"]!.GetValue<string>()).ToList();
                Assert.Equal(expected.Skip(seen.Count).Take(size), ids);
                seen.AddRange(ids);
                after = hits[^1]!["sort"];
            }

            Assert.Equal(size == 7 ? expected.Take(seen.Count) : expected, seen);
            Assert.Equal(size == 7 ? Math.Min(expected.Count, 25 * 7) : expected.Count, seen.Count);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task From_and_size_give_the_slice_of_the_full_sort_and_the_capped_total(string field, string order, string filter)
    {
        var expected = Expected(field, order, filter);
        var body = Body(field, order, filter);
        body["from"] = 130;
        body["size"] = 20;
        body["track_total_hits"] = 100;

        var response = await _store.SearchAsync(body, CancellationToken.None);

        Assert.Equal(expected.Skip(130).Take(20), response["hits"]!["hits"]!.AsArray().Select(h => h!["_id"]!.GetValue<string>()));
        var total = response["hits"]!["total"]!;
        Assert.Equal(expected.Count > 100 ? 100 : expected.Count, total["value"]!.GetValue<long>());
        Assert.Equal(expected.Count > 100 ? "gte" : "eq", total["relation"]!.GetValue<string>());
    }

    private static JsonObject Body(string field, string order, string filter)
    {
        var query = filter switch
        {
            "all" => """{"match_all":{}}""",
            "label" => """{"term":{"labels":"l2"}}""",
            "rare" => """{"bool":{"filter":[{"term":{"labels":"l1"}},{"range":{"progress":{"gte":50,"lte":51}}}]}}""",
            _ => """{"bool":{"filter":[{"term":{"labels":"l3"}},{"range":{"progress":{"gte":20,"lte":70}}}]}}""",
        };
        return JsonNode.Parse($$"""{"query":{{query}},"sort":[{"{{field}}":"{{order}}"}]}""")!.AsObject();
    }

    private List<string> Expected(string field, string order, string filter)
    {
        IEnumerable<JobDocument> matches = filter switch
        {
            "all" => _jobs,
            "label" => _jobs.Where(j => j.Labels.Contains("l2")),
            "rare" => _jobs.Where(j => j.Labels.Contains("l1") && j.Progress is >= 50 and <= 51),
            _ => _jobs.Where(j => j.Labels.Contains("l3") && j.Progress is >= 20 and <= 70),
        };
        Func<JobDocument, long?> value = field switch
        {
            "created" => j => j.Created.ToUnixTimeMilliseconds(),
            "stop-time" => j => j.StopTime?.ToUnixTimeMilliseconds(),
            _ => j => j.Progress,
        };

        // Missing values last in either order, then the implicit id tiebreaker (ascending).
        var ordered = matches.OrderBy(j => value(j) is null ? 1 : 0);
        ordered = order == "desc" ? ordered.ThenByDescending(value) : ordered.ThenBy(value);
        return [.. ordered.ThenBy(j => j.Id, StringComparer.Ordinal).Select(j => j.Id)];
    }
}
