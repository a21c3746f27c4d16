using Jobs.Embedded.Indexing;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using static Jobs.Embedded.Tests.TestJobs;

namespace Jobs.Embedded.Tests.Indexing;

/// <summary>
/// The ceiling of canonical ids that lets a create skip the id lookup: what it counts as certainly
/// absent, and that it survives a checkpoint, a crash (the log's replay) and an index committed
/// before it existed; creates of existing ids are refused whichever way the check goes.
/// </summary>
public sealed class IdCeilingTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    // UUID v7 ids a minute apart, as the API makes them (fixed per test class: the random bits differ per call).
    private static readonly string[] Ids = [.. Enumerable.Range(0, 2000).Select(m => Guid.CreateVersion7(T0.AddMinutes(m)).ToString("D"))];

    private static string Uuid(int minutes) => Ids[minutes];

    [Theory]
    [InlineData("0190a8f2-3c4d-7e5f-8a9b-0c1d2e3f4a5b", true)]
    [InlineData("0190A8F2-3C4D-7E5F-8A9B-0C1D2E3F4A5B", false)] // upper case: another id, looked up
    [InlineData("0190a8f23c4d7e5f8a9b0c1d2e3f4a5b", false)]
    [InlineData("0190a8f2-3c4d-7e5f-8a9b-0c1d2e3f4a5", false)]
    [InlineData("0190a8f2_3c4d-7e5f-8a9b-0c1d2e3f4a5b", false)]
    [InlineData("0190a8f2-3c4d-7e5f-8a9b-0c1d2e3f4a5g", false)]
    [InlineData("job-1", false)]
    public void Only_lower_case_8_4_4_4_12_hex_is_canonical(string id, bool canonical) =>
        Assert.Equal(canonical, IdCeiling.IsCanonical(id));

    [Fact]
    public void Only_a_canonical_id_above_every_canonical_one_seen_is_certainly_absent()
    {
        var ceiling = new IdCeiling();
        Assert.True(ceiling.IsAbove(Uuid(0)));
        Assert.False(ceiling.IsAbove("job-1"));

        ceiling.Raise(Uuid(5));
        ceiling.Raise(Uuid(1)); // lower: the ceiling stays
        ceiling.Raise("zzz"); // not canonical: ignored

        Assert.Equal(Uuid(5), ceiling.Greatest);
        Assert.False(ceiling.IsAbove(Uuid(5)));
        Assert.False(ceiling.IsAbove(Uuid(3)));
        Assert.True(ceiling.IsAbove(Uuid(6)));
    }

    [Fact]
    public void Concurrent_raises_leave_the_greatest()
    {
        var ids = Ids;
        var ceiling = new IdCeiling();

        Parallel.ForEach(ids.Reverse(), ceiling.Raise);

        Assert.Equal(ids[^1], ceiling.Greatest);
    }

    [Fact]
    public void An_index_committed_without_a_ceiling_is_scanned_for_its_greatest_canonical_id()
    {
        using var directory = new RAMDirectory();
        using (var writer = new IndexWriter(directory, new IndexWriterConfig(JobIndex.Version, JobIndex.NewAnalyzer())))
        {
            foreach (var id in new[] { Uuid(1), "zz-legacy", Uuid(9), Uuid(4) })
            {
                writer.AddDocument([new StringField(FieldCatalog.IdField, id, Field.Store.NO)]);
                writer.Commit(); // one segment each
            }
        }

        using var reader = DirectoryReader.Open(directory);
        var scanned = IdCeiling.Open(new Dictionary<string, string>(), new IndexSearcher(reader));
        var recordedEmpty = IdCeiling.Open(new Dictionary<string, string> { [IdCeiling.CommitKey] = "" }, new IndexSearcher(reader));

        Assert.Equal(4, reader.Leaves.Count);
        Assert.Equal(Uuid(9), scanned.Greatest);
        Assert.Null(recordedEmpty.Greatest); // a recorded ceiling is trusted: no scan
    }

    [Fact]
    public async Task Creates_of_existing_ids_are_refused_after_a_checkpoint_a_crash_and_a_restart()
    {
        var store = _dir.OpenStore();
        Assert.True(await store.CreateAsync(Job(Uuid(1)), None));
        Assert.True(await store.CreateAsync(Job(Uuid(2)), None));
        await store.CheckpointAsync(); // the commit records the ceiling
        Assert.True(await store.CreateAsync(Job(Uuid(3)), None)); // only in the log
        store.Abandon();

        using (var reopened = _dir.OpenStore())
        {
            var jobs = reopened.Host.Current.Jobs;
            Assert.False(jobs.CertainlyAbsent(Uuid(3))); // the replay raised it
            Assert.True(jobs.CertainlyAbsent(Uuid(4)));
            foreach (var minutes in new[] { 1, 2, 3 })
            {
                Assert.False(await reopened.CreateAsync(Job(Uuid(minutes), ["again"]), None));
                Assert.Empty((await reopened.GetAsync(Uuid(minutes), None))!.Labels);
            }

            Assert.True(await reopened.CreateAsync(Job(Uuid(4)), None));
            Assert.False(await reopened.CreateAsync(Job(Uuid(4)), None)); // staged, not yet searchable
        }

        using var again = _dir.OpenStore();
        Assert.False(again.Host.Current.Jobs.CertainlyAbsent(Uuid(4)));
        Assert.False(await again.CreateAsync(Job(Uuid(4)), None));
        Assert.Equal(4, (await again.CountAsync(null, None))["count"]!.GetValue<int>());
    }
}
