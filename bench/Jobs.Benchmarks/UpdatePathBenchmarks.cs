using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Jobs.Bench;
using Jobs.Core.Jobs;
using Jobs.Core.Json;
using Jobs.Core.Merging;
using Jobs.Core.Updates;
using Jobs.Embedded.Indexing;
using Lucene.Net.Index;
using Lucene.Net.Store;

namespace Jobs.Benchmarks;

/// <summary>
/// The steps one update goes through in the embedded store, one at a time, on a realistic
/// running job of the benchmark corpus: read the message, merge it, serialise the job and its
/// event, frame them as the write-ahead log's record (checksum included; the fsync is the disk's,
/// shared by a batch), parse the job back (a read from the index), build its Lucene document, and
/// index it. docs/BENCHMARKS.md adds these up into the split of CPU per update.
/// </summary>
[MemoryDiagnoser]
public class UpdatePathBenchmarks
{
    private readonly Corpus _corpus = new(42);
    private JobDocument _job = null!;
    private byte[] _json = [];
    private string _message = "";
    private JobUpdate _update = null!;
    private JobDocumentBuilder _builder = null!;
    private RAMDirectory _directory = null!;
    private IndexWriter _writer = null!;
    private DateTimeOffset _received;
    private JobEvent _event = null!;
    private Jobs.Embedded.Storage.JobChangeRecord.Event _stored;
    private readonly System.Buffers.ArrayBufferWriter<byte> _log = new(1 << 16);

    private static readonly HashSet<string> Known = [];

    /// <summary>Updates the job had before (the document no longer grows with them).</summary>
    [Params(5, 50)]
    public int Events { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // A running job of the corpus, with progress updates until it has the wanted history.
        var i = Enumerable.Range(0, 1000).First(n => Corpus.StatusOf(n) == JobStatus.Running);
        _job = _corpus.Job(i);
        var n = 0;
        while (n < Events)
        {
            var time = Corpus.Epoch.AddMinutes(++n);
            _job = JobMerger.Apply(_job, [new JobUpdate(Corpus.Progress(_job.Id, $"setup-{n}", time, n), EventSources.Queue)], time, Known).Job;
        }

        _json = JobsJson.ToUtf8(_job);
        _received = Corpus.Epoch.AddDays(1);
        var message = Corpus.Progress(_job.Id, "bench-update", _received, 7);
        _message = UpdateMessageWriter.ToJson(message);
        _update = new JobUpdate(message, EventSources.Queue);
        _builder = new JobDocumentBuilder(FieldCatalog.Jobs);
        _directory = new RAMDirectory();
        _writer = new IndexWriter(_directory, new IndexWriterConfig(JobIndex.Version, JobIndex.NewAnalyzer()) { RAMBufferSizeMB = 64 });
        _event = JobMerger.Apply(_job, [_update], _received, Known).Events[0];
        _stored = new(StoredEvents.DocumentId(_job.Id, _event), StoredEvents.SortKey(_event), EventIndex.ToJson(_event));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _writer.Dispose();
        _directory.Dispose();
    }

    [Benchmark(Description = "read the update message (parse + validate)")]
    public UpdateMessage? ReadMessage()
    {
        using var document = JsonDocument.Parse(_message);
        return UpdateMessageReader.Read(document.RootElement).Value;
    }

    [Benchmark(Description = "merge one update (token check, fold onto the document)")]
    public JobMerger.MergeResult Merge() => JobMerger.Apply(_job, [_update], _received, Known);

    [Benchmark(Description = "serialise the job (JSON)")]
    public byte[] Serialize() => JobsJson.ToUtf8(_job);

    [Benchmark(Description = "serialise the event (JSON, its key and sort key)")]
    public int SerializeEvent() => EventIndex.ToJson(_event).Length + StoredEvents.DocumentId(_job.Id, _event).Length + StoredEvents.SortKey(_event).Length;

    [Benchmark(Description = "log: the change record and its frame (job + event, CRC-32)")]
    public int Log()
    {
        _log.ResetWrittenCount();
        var payload = Jobs.Embedded.Storage.JobChangeRecord.Encode(_json, [_stored]);
        Jobs.Embedded.Storage.WalRecord.Write(_log, 1, Jobs.Embedded.Storage.WalRecordKind.JobChange, _job.Id, payload);
        return _log.WrittenCount;
    }

    [Benchmark(Description = "parse the job (JSON)")]
    public JobDocument Parse() => JobsJson.ParseJob(_json);

    [Benchmark(Description = "build the Lucene document")]
    public int BuildDocument() => _builder.Build(_job.Id, _json).Fields.Count;

    [Benchmark(Description = "index it (build + IndexWriter.UpdateDocument, in memory)")]
    public void Index() => _writer.UpdateDocument(new Term(FieldCatalog.IdField, _job.Id), _builder.Build(_job.Id, _json));
}
