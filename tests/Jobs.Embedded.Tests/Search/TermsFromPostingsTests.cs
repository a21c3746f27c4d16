using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Core.Jobs;
using Jobs.Core.Merging;
using Jobs.Core.Updates;
using Jobs.Embedded.Search.Aggregations;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Store;
using Lucene.Net.Util;
using static Jobs.Embedded.Tests.TestJobs;

namespace Jobs.Embedded.Tests.Search;

/// <summary>
/// A <c>terms</c> aggregation over every job counts from the postings (document frequencies minus
/// deleted documents); it must give the answer the collector gives over the same jobs, which a
/// query matching every job through another path (<c>exists</c> on <c>id</c>) still uses.
/// </summary>
public sealed class TermsFromPostingsTests : IDisposable
{
    private static readonly string[] Vocabulary = ["alpha", "beta", "gamma", "delta", "ε-epsilon"];

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static JobDocument Job(int i)
    {
        var random = new Random(i);
        var labels = Enumerable.Range(0, random.Next(0, 4)).Select(_ => Vocabulary[random.Next(Vocabulary.Length)]).ToList();
        var inputs = new Dictionary<string, JsonElement>
        {
            ["mode"] = JsonSerializer.SerializeToElement(i % 3 == 0 ? "fast" : "slow"),
            ["band"] = JsonSerializer.SerializeToElement(new[] { "b" + (i % 4), "b" + (i % 7) }),
        };
        return JobMerger.Create(
            new JobDocument { Id = $"j-{i:D4}", ProcessId = "l1b-cwl", Created = T0.AddMinutes(i), TokenSha256 = UpdateToken.Hash(Token), Inputs = inputs },
            labels);
    }

    [Fact]
    public async Task Counts_over_every_job_from_the_postings_equal_the_collectors_after_updates_replaced_documents()
    {
        using var store = _dir.OpenStore();
        for (var i = 0; i < 400; i++)
        {
            await store.CreateAsync(Job(i), CancellationToken.None);
        }

        await store.SearchAsync([], CancellationToken.None); // a refresh: the jobs above are in segments
        var updates = Enumerable.Range(0, 400).Where(i => i % 3 != 1).Select(i => Running($"j-{i:D4}", $"u-{i}", 10 + (i % 80))).ToList();
        await store.ApplyAsync(updates, CancellationToken.None);

        const string aggs = """
            "aggs":{"status":{"terms":{"field":"status"}},"labels":{"terms":{"field":"labels","size":2,"order":[{"_key":"desc"}]}},
                    "mode":{"terms":{"field":"inputs.mode"}},"band":{"terms":{"field":"inputs.band","size":3,"shard_size":4}},
                    "none":{"terms":{"field":"no-such-field"}},"progress":{"max":{"field":"progress"}}}
            """;
        var postings = await store.SearchAsync(JsonNode.Parse("{\"size\":0," + aggs + "}")!.AsObject(), CancellationToken.None);
        var collected = await store.SearchAsync(JsonNode.Parse("{\"size\":0,\"query\":{\"exists\":{\"field\":\"id\"}}," + aggs + "}")!.AsObject(), CancellationToken.None);

        Assert.Equal(collected["aggregations"]!.ToJsonString(), postings["aggregations"]!.ToJsonString());
        Assert.Equal(collected["hits"]!["total"]!.ToJsonString(), postings["hits"]!["total"]!.ToJsonString());
        Assert.Equal(267, postings["aggregations"]!["status"]!["buckets"]![0]!["doc_count"]!.GetValue<long>()); // 400 - 133 never updated
    }

    [Fact]
    public void Document_frequencies_minus_deleted_documents_are_the_live_counts_per_term()
    {
        using var directory = new RAMDirectory();
        using (var writer = new IndexWriter(directory, new IndexWriterConfig(LuceneVersion.LUCENE_48, new KeywordAnalyzer())))
        {
            for (var i = 0; i < 200; i++)
            {
                writer.AddDocument(Keywords(i, i % 5 == 0 ? ["x"] : ["x", "y" + (i % 3)]));
                if (i % 50 == 49)
                {
                    writer.Commit(); // several segments
                }
            }

            for (var i = 0; i < 200; i += 7)
            {
                writer.DeleteDocuments(new Term("id", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        using var reader = DirectoryReader.Open(directory);
        var counts = PostingsTermCounts.CountLive(reader, new FieldSource("k", SourceKind.Keyword, "k", null, "keyword"));

        var live = Enumerable.Range(0, 200).Where(i => i % 7 != 0).ToList();
        Assert.Equal(live.Count, counts!["x"]);
        for (var r = 0; r < 3; r++)
        {
            Assert.Equal(live.Count(i => i % 5 != 0 && i % 3 == r), counts["y" + r]);
        }
    }

    [Fact]
    public void Counts_are_kept_per_segment_reader_and_a_segment_whose_deletions_changed_is_counted_again()
    {
        using var directory = new RAMDirectory();
        using var writer = new IndexWriter(directory, new IndexWriterConfig(LuceneVersion.LUCENE_48, new KeywordAnalyzer()) { MergePolicy = NoMergePolicy.COMPOUND_FILES });
        for (var i = 0; i < 300; i++)
        {
            writer.AddDocument(Keywords(i, ["v" + (i % 4)]));
            if (i % 100 == 99)
            {
                writer.Commit(); // three segments of 100
            }
        }

        var source = new FieldSource("k", SourceKind.Keyword, "k", null, "keyword");
        using var before = DirectoryReader.Open(writer, applyAllDeletes: true);
        Assert.Equal(75, PostingsTermCounts.CountLive(before, source)!["v1"]);
        Assert.All(before.Leaves, leaf => Assert.True(PostingsTermCounts.IsKept(leaf.AtomicReader, "k", null)));

        // Delete from the last segment only: its reader is new, the other two are the same readers.
        for (var i = 201; i < 300; i += 4)
        {
            writer.DeleteDocuments(new Term("id", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        using var after = DirectoryReader.OpenIfChanged(before, writer, applyAllDeletes: true)!;
        Assert.Equal(2, after.Leaves.Count(leaf => PostingsTermCounts.IsKept(leaf.AtomicReader, "k", null)));
        var counts = PostingsTermCounts.CountLive(after, source)!;
        Assert.Equal(50, counts["v1"]);
        Assert.Equal(75, counts["v0"]);
        Assert.Equal(75, PostingsTermCounts.CountLive(before, source)!["v1"]); // the older reader still answers for its point in time
    }

    [Fact]
    public void A_field_whose_terms_and_doc_values_differ_gets_no_answer_and_is_collected_instead()
    {
        using var directory = new RAMDirectory();
        using (var writer = new IndexWriter(directory, new IndexWriterConfig(LuceneVersion.LUCENE_48, new KeywordAnalyzer())))
        {
            writer.AddDocument(Keywords(0, ["x"]));
            var odd = new Document { new StringField("k", "only-a-term", Field.Store.NO), new SortedSetDocValuesField("k", new BytesRef("x")) };
            writer.AddDocument(odd);
        }

        using var reader = DirectoryReader.Open(directory);

        Assert.Null(PostingsTermCounts.CountLive(reader, new FieldSource("k", SourceKind.Keyword, "k", null, "keyword")));
    }

    private static Document Keywords(int id, string[] values)
    {
        var doc = new Document { new StringField("id", id.ToString(System.Globalization.CultureInfo.InvariantCulture), Field.Store.NO) };
        foreach (var value in values)
        {
            doc.Add(new StringField("k", value, Field.Store.NO));
            doc.Add(new SortedSetDocValuesField("k", new BytesRef(value)));
        }

        return doc;
    }
}
