using Jobs.Core.Json;
using Jobs.Embedded.Indexing;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using static Jobs.Embedded.Tests.TestJobs;

namespace Jobs.Embedded.Tests.Indexing;

/// <summary>
/// The cheaper index writes and reads of the update path (issue 17) find and match exactly what
/// the plain ones did: batched id lookups, 8-bit numeric terms next to 4-bit ones, and the
/// <c>_field_names</c> terms of one field instance.
/// </summary>
public sealed class UpdatePathIndexTests : IDisposable
{
    private readonly RAMDirectory _directory = new();
    private readonly IndexWriter _writer;

    public UpdatePathIndexTests()
    {
        _writer = new IndexWriter(_directory, new IndexWriterConfig(JobIndex.Version, JobIndex.NewAnalyzer()) { MergePolicy = NoMergePolicy.NO_COMPOUND_FILES });
    }

    public void Dispose()
    {
        _writer.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public void Batched_lookups_find_each_live_key_across_segments_and_skip_deleted_and_missing_ones()
    {
        // Three segments; "b" deleted, "c" replaced by a newer version in a later segment.
        Add("a", "a1"); Add("b", "b1"); Add("c", "c1");
        _writer.Commit();
        Add("d", "d1");
        _writer.UpdateDocument(new Term("_id", "c"), Doc("c", "c2"));
        _writer.Commit();
        _writer.DeleteDocuments(new Term("_id", "b"));
        Add("e", "e1");
        _writer.Commit();
        using var reader = DirectoryReader.Open(_directory);
        Assert.True(reader.Leaves.Count >= 3);

        var found = TermLookups.Find(reader, "_id", ["a", "b", "c", "d", "e", "zz"])
            .ToDictionary(f => f.Key, f => f.Segment.Document(f.Doc).Get("v"));

        Assert.Equal(new Dictionary<string, string> { ["a"] = "a1", ["c"] = "c2", ["d"] = "d1", ["e"] = "e1" }, found);
    }

    [Fact]
    public void Range_queries_of_the_8_bit_step_match_values_indexed_with_lucenes_4_bit_default_too()
    {
        // An index written before the step changed holds 4-bit terms; new documents get 8-bit ones.
        var random = new Random(7);
        var values = Enumerable.Range(0, 400).Select(_ => random.NextInt64(1_600_000_000_000, 1_800_000_000_000)).ToList();
        for (var i = 0; i < values.Count; i++)
        {
            var field = i % 2 == 0 ? new Int64Field("created", values[i], Field.Store.NO) : new Int64Field("created", values[i], NumericTrie.Int64);
            _writer.AddDocument([new StringField("_id", $"j{i}", Field.Store.YES), field]);
        }

        _writer.Commit();
        using var reader = DirectoryReader.Open(_directory);
        var searcher = new IndexSearcher(reader);
        for (var q = 0; q < 50; q++)
        {
            var low = random.NextInt64(1_600_000_000_000, 1_800_000_000_000);
            var high = low + random.NextInt64(0, 100_000_000_000);
            var expected = values.Count(v => v >= low && v <= high);

            Assert.Equal(expected, searcher.Search(NumericTrie.Int64Range("created", low, high, true, true), 1000).TotalHits);
            Assert.Equal(expected, searcher.Search(new ConstantScoreQuery(NumericTrie.Int64Filter("created", low, high, true, true)), 1000).TotalHits);
        }
    }

    [Fact]
    public void The_field_names_of_a_job_document_are_indexed_as_one_term_each()
    {
        var builder = new JobDocumentBuilder(FieldCatalog.Jobs);
        var job = Job("j-1", ["red"]) with { Stage = "fetch", Progress = 5 };
        _writer.AddDocument(builder.Build(job.Id, JobsJson.ToUtf8(job)));
        // The builder's reused field yields the next document's names only.
        _writer.AddDocument(builder.Build("j-2", JobsJson.ToUtf8(Job("j-2"))));
        _writer.Commit();
        using var reader = DirectoryReader.Open(_directory);
        var searcher = new IndexSearcher(reader);

        int Count(string name) => searcher.Search(new TermQuery(new Term(FieldCatalog.FieldNamesField, name)), 10).TotalHits;

        Assert.Equal(2, Count("status"));
        Assert.Equal(2, Count("created"));
        Assert.Equal(1, Count("stage"));
        Assert.Equal(1, Count("progress"));
        Assert.Equal(0, Count("stalled-since"));
    }

    private void Add(string id, string value) => _writer.AddDocument(Doc(id, value));

    private static Document Doc(string id, string value) => [new StringField("_id", id, Field.Store.YES), new StoredField("v", value)];
}
