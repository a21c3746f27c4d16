using System.Globalization;
using Jobs.Core.Json;
using Jobs.Core.Notifications;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Microsoft.Extensions.Logging;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace Jobs.Embedded.Indexing;

/// <summary>
/// The embedded store's outbox (<c>&lt;DataPath&gt;/jobs/outbox</c>): one Lucene document per job
/// change, keyed by the write-ahead log sequence of the record that made the change durable,
/// holding the event type, its time and the job's JSON after the change. Documents are added
/// in sequence order (by the log's flusher, once their record is durable), so a searcher always
/// covers a prefix of the sequences; a read waits for the newest generation, so it is realtime.
/// </summary>
internal sealed class OutboxIndex : IDisposable
{
    private const string IdField = "_id";
    private const string SequenceField = "seq";
    private const string JobField = "job";
    private const string TypeField = "type";
    private const string TimeField = "time";
    private const string SourceField = "_source";

    private readonly LiveIndex _index;
    private long _generation;

    public OutboxIndex(string path, Action<Exception> failed, ILogger logger, double bufferMiB = 8)
    {
        _index = new LiveIndex(path, bufferMiB, null, failed, logger);
        _index.Start("job-outbox-reopen");
    }

    /// <summary>The write-ahead log sequence the last commit covers.</summary>
    public long CommittedSequence => _index.CommittedSequence;

    /// <summary>Writes (or, on replay, replaces) the change logged at <paramref name="sequence"/>.</summary>
    public void Write(long sequence, string jobId, string type, DateTimeOffset time, byte[] jobJson)
    {
        var id = sequence.ToString(CultureInfo.InvariantCulture);
        var document = new Document
        {
            new StringField(IdField, id, Field.Store.NO),
            new Int64Field(SequenceField, sequence, Field.Store.YES),
            new NumericDocValuesField(SequenceField, sequence),
            new StringField(JobField, jobId, Field.Store.YES),
            new StoredField(TypeField, type),
            new Int64Field(TimeField, time.UtcTicks, Field.Store.YES),
            new StoredField(SourceField, jobJson),
        };
        var generation = _index.Tracking.UpdateDocument(new Term(IdField, id), document);
        InterlockedMax(ref _generation, generation);
    }

    /// <summary>Up to <paramref name="limit"/> changes with a sequence in (<paramref name="after"/>, <paramref name="upTo"/>], oldest first.</summary>
    public IReadOnlyList<OutboxEvent> Read(long after, long upTo, string? jobId, int limit)
    {
        if (upTo <= after || limit <= 0)
        {
            return [];
        }

        _index.WaitForGeneration(Interlocked.Read(ref _generation));
        var query = new BooleanQuery { { NumericRangeQuery.NewInt64Range(SequenceField, after, upTo, false, true), Occur.MUST } };
        if (jobId is not null)
        {
            query.Add(new TermQuery(new Term(JobField, jobId)), Occur.MUST);
        }

        var searcher = _index.Searchers.Acquire();
        try
        {
            var top = searcher.Search(query, limit, new Sort(new SortField(SequenceField, SortFieldType.INT64)));
            var events = new List<OutboxEvent>(top.ScoreDocs.Length);
            foreach (var hit in top.ScoreDocs)
            {
                var document = searcher.Doc(hit.Doc);
                var json = document.GetBinaryValue(SourceField);
                events.Add(new OutboxEvent(
                    document.GetField(SequenceField).GetInt64Value() ?? 0,
                    document.Get(TypeField),
                    document.Get(JobField),
                    new DateTimeOffset(document.GetField(TimeField).GetInt64Value() ?? 0, TimeSpan.Zero),
                    JobsJson.ParseJob(json.Bytes.AsSpan(json.Offset, json.Length))));
            }

            return events;
        }
        finally
        {
            _index.Searchers.Release(searcher);
        }
    }

    /// <summary>
    /// Deletes the changes made before <paramref name="cutoff"/> whose sequence is below
    /// <paramref name="keepFrom"/> (outbox retention; <see cref="Engine.OutboxRetention"/>).
    /// </summary>
    public void DeleteOlderThan(DateTimeOffset cutoff, long keepFrom)
    {
        var query = new BooleanQuery
        {
            { NumericRangeQuery.NewInt64Range(TimeField, null, cutoff.UtcTicks, true, false), Occur.MUST },
            { NumericRangeQuery.NewInt64Range(SequenceField, null, keepFrom, true, false), Occur.MUST },
        };
        var generation = _index.Tracking.DeleteDocuments(query);
        InterlockedMax(ref _generation, generation);
    }

    /// <summary>Makes everything written so far searchable (after recovery).</summary>
    public void Refresh() => _index.Searchers.MaybeRefreshBlocking();

    /// <summary>Durably commits the index, recording the log sequence it covers.</summary>
    public void Commit(long sequence) => _index.Commit(sequence);

    /// <summary>Closes without committing (a failed store, a crash in tests).</summary>
    public void Abandon() => _index.Abandon();

    public void Dispose() => _index.Dispose();

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value > current && Interlocked.CompareExchange(ref target, value, current) != current)
        {
            current = Interlocked.Read(ref target);
        }
    }
}
