using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Core.Jobs;
using Jobs.Core.Json;
using Jobs.Core.Notifications;
using Jobs.Core.Storage;
using Jobs.Elasticsearch.Bootstrap;
using Jobs.Elasticsearch.Cluster;
using Jobs.Elasticsearch.Dtos;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobs.Elasticsearch.Store;

/// <summary>
/// The Elasticsearch store's outbox of job events (docs/decisions.md, "Job events out"): one
/// document write is atomic, so every write of a job carries the events not yet published in
/// the job's own document (<c>outbox</c>, not indexed: the last event number and the unpublished
/// events), with <c>outbox-since</c> (indexed: the oldest one's time) for the sweep. After the
/// write is acknowledged the writer publishes them (<see cref="IEventPublisher"/>) and clears
/// them with a write conditional on the version it made; on a conflict it leaves them, and the
/// next write carries them forward (it appends, never replaces). <see cref="SweepAsync"/>
/// publishes what stayed unpublished for <see cref="ElasticsearchOptions.OutboxGrace"/>. Event
/// ids are <c>&lt;job id&gt;:&lt;n&gt;</c>: stable, so a duplicate is recognisable.
/// </summary>
/// <remarks>
/// Without a publisher (no events queue configured) no event is added; events an earlier
/// writer added are still carried forward, so nothing is dropped by a writer that cannot publish.
/// The newest unpublished event's job is the document itself; an older one keeps the lean job
/// (<see cref="OutboxEventJson.Lean"/>) as its change left it, added when a later change is appended.
/// </remarks>
internal sealed partial class JobOutbox(
    ElasticsearchHttpClient client,
    IndexBootstrapper bootstrapper,
    IOptions<ElasticsearchOptions> options,
    TimeProvider time,
    ILogger<JobOutbox> logger,
    IEventPublisher? publisher = null) : IOutboxSweeper
{
    public const string Field = "outbox";
    public const string SinceField = "outbox-since";
    private const int SweepPage = 100;

    /// <summary>Whether writes add events (a publisher is configured).</summary>
    public bool Enabled => publisher is not null;

    /// <summary>One unpublished event: its number in the job, type, time and, unless it is the newest, the job as it left it.</summary>
    internal sealed record Entry(long N, string Type, DateTimeOffset Time, JobDocument? Job);

    /// <summary>A job's outbox: the last event number given out and the events not yet published, oldest first.</summary>
    internal sealed record State(long Last, IReadOnlyList<Entry> Events)
    {
        public static readonly State Empty = new(0, []);
    }

    /// <summary>A job document just written (its new version) with its outbox.</summary>
    internal sealed record Written(string JobId, JobDocument Job, IReadOnlyList<JobEvent> Pending, State State, long SeqNo, long PrimaryTerm);

    /// <summary>The outbox of a stored job document (empty when it has none).</summary>
    public static State Read(JsonElement source)
    {
        if (!source.TryGetProperty(Field, out var outbox) || outbox.ValueKind != JsonValueKind.Object)
        {
            return State.Empty;
        }

        var last = outbox.TryGetProperty("last", out var l) && l.TryGetInt64(out var n) ? n : 0;
        var events = new List<Entry>();
        if (outbox.TryGetProperty("events", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var e in list.EnumerateArray())
            {
                var job = e.TryGetProperty("job", out var j) && j.ValueKind == JsonValueKind.Object ? JobsJson.ParseJob(j) : null;
                events.Add(new Entry(e.GetProperty("n").GetInt64(), e.GetProperty("type").GetString()!, Time(e.GetProperty("time").GetString()), job));
            }
        }

        return new State(last, events);
    }

    /// <summary>
    /// The outbox a write leaves: the carried events (the newest given the job before the write
    /// as its own, when this write changes what subscribers see) and, when enabled, this change's
    /// event (<paramref name="type"/> from <see cref="ChangeClassifier"/>; null: none).
    /// </summary>
    public State Next(State before, JobDocument? jobBefore, string? type)
    {
        if (type is null || (before.Events.Count == 0 && !Enabled))
        {
            return before;
        }

        var events = before.Events.ToList();
        if (events.Count > 0 && events[^1].Job is null && jobBefore is not null)
        {
            events[^1] = events[^1] with { Job = OutboxEventJson.Lean(jobBefore) };
        }

        if (!Enabled)
        {
            return before with { Events = events };
        }

        events.Add(new Entry(before.Last + 1, type, time.GetUtcNow(), null));
        return new State(before.Last + 1, events);
    }

    /// <summary>Writes the outbox into a job document's source (nothing for a job that never had one).</summary>
    public static void WriteTo(JsonObject source, State state)
    {
        if (state.Last == 0)
        {
            return;
        }

        var events = new JsonArray();
        foreach (var e in state.Events)
        {
            var entry = new JsonObject { ["n"] = e.N, ["type"] = e.Type, ["time"] = UtcTimestampJsonConverter.ToText(e.Time) };
            if (e.Job is not null)
            {
                entry["job"] = JsonSerializer.SerializeToNode(e.Job, JobsJsonContext.Default.JobDocument);
            }

            events.Add(entry);
        }

        source[Field] = new JsonObject { ["last"] = state.Last, ["events"] = events };
        if (state.Events.Count > 0)
        {
            source[SinceField] = UtcTimestampJsonConverter.ToText(state.Events[0].Time);
        }
    }

    /// <summary>The events of an outbox, in order, as <see cref="OutboxEvent"/>s (<paramref name="current"/>: the document's job).</summary>
    public static IReadOnlyList<OutboxEvent> EventsOf(string jobId, State state, JobDocument current) =>
        [.. state.Events.Select(e => new OutboxEvent(e.N, e.Type, jobId, e.Time, e.Job ?? OutboxEventJson.Lean(current)) { Id = EventId(jobId, e.N) })];

    private static DateTimeOffset Time(string? text) =>
        UtcTimestampJsonConverter.TryParse(text, out var at) ? at : throw new JsonException($"an outbox event's time '{text}' is no timestamp");

    public static string EventId(string jobId, long n) => $"{jobId}:{n.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// Publishes the unpublished events of jobs just written, then clears each job's outbox with a
    /// write conditional on the version written. A failed publish leaves them all (the sweep or
    /// the job's next write publishes them); a clear that lost a race leaves that job's (the
    /// next write carried them forward, and publishes them again: at least once).
    /// </summary>
    public async Task PublishAndClearAsync(IndexLayout layout, IReadOnlyList<Written> written, CancellationToken cancellationToken)
    {
        var jobs = written.Where(w => w.State.Events.Count > 0).ToList();
        if (publisher is null || jobs.Count == 0)
        {
            return;
        }

        try
        {
            await publisher.PublishAsync([.. jobs.SelectMany(w => EventsOf(w.JobId, w.State, w.Job))], cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogPublishFailed(jobs.Sum(w => w.State.Events.Count), e.Message);
            return;
        }

        var clears = jobs.Select(w => new BulkOperation(
                BulkAction.Index, layout.Jobs.Alias, w.JobId, UpdateBatch.JobSource(w.Job, w.Pending, w.State with { Events = [] }), w.SeqNo, w.PrimaryTerm))
            .ToList();
        try
        {
            var items = await client.BulkAsync(clears, cancellationToken);
            for (var i = 0; i < items.Count; i++)
            {
                if (!items[i].Succeeded)
                {
                    LogClearLeft(clears[i].Id, items[i].Status);
                }
            }
        }
        catch (StoreUnavailableException e)
        {
            // Published but not cleared: the next write or the sweep publishes them again (same ids).
            LogClearLeft(string.Join(", ", clears.Select(c => c.Id)), 0, e.Message);
        }
    }

    /// <summary>
    /// Publishes the events that stayed unpublished longer than the grace period: a search on
    /// <c>outbox-since</c> finds the jobs, a realtime <c>_mget</c> reads their current version, and
    /// they go through <see cref="PublishAndClearAsync"/> a page at a time.
    /// </summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        if (publisher is null)
        {
            return 0;
        }

        await bootstrapper.EnsureAsync(cancellationToken);
        var layout = bootstrapper.Layout;
        var before = time.GetUtcNow() - options.Value.OutboxGrace;
        var search = new JsonObject
        {
            ["size"] = SweepPage,
            ["_source"] = false,
            ["query"] = new JsonObject { ["range"] = new JsonObject { [SinceField] = new JsonObject { ["lte"] = UtcTimestampJsonConverter.ToText(before) } } },
            ["sort"] = new JsonArray(new JsonObject { [SinceField] = "asc" }),
        };
        var found = await client.SearchAsync(layout.Jobs.Alias, search, cancellationToken);
        if (!found.IsSuccess)
        {
            throw found.Unexpected("Looking for unpublished job events");
        }

        var ids = found.Read(EsJsonContext.Default.SearchIdsResponse).Hits.Hits.Select(h => h.Id).ToList();
        if (ids.Count == 0)
        {
            return 0;
        }

        var read = await client.MultiGetAsync(layout.Jobs.Alias, ids, cancellationToken);
        if (read.Status != 200)
        {
            throw read.Unexpected("Reading jobs with unpublished events");
        }

        var written = new List<Written>();
        foreach (var doc in read.Read(EsJsonContext.Default.MultiGetResponse).Docs)
        {
            if (doc is { Found: true, Id: { } id, Source: { } source, SeqNo: { } seqNo, PrimaryTerm: { } term } && Read(source) is { Events.Count: > 0 } state)
            {
                written.Add(new Written(id, ElasticsearchJobStore.ParseJob(id, source), UpdateBatch.PendingOf(source), state, seqNo, term));
            }
        }

        await PublishAndClearAsync(layout, written, cancellationToken);
        var count = written.Sum(w => w.State.Events.Count);
        if (count > 0)
        {
            LogSwept(count, written.Count);
        }

        return count;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing {Count} job events failed ({Reason}); they stay in their jobs' outboxes for the next write or the sweep")]
    private partial void LogPublishFailed(int count, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The outbox of {JobId} was published but not cleared ({Status} {Reason}); it is published again later (same event ids)")]
    private partial void LogClearLeft(string jobId, int status, string? reason = null);

    [LoggerMessage(Level = LogLevel.Information, Message = "The outbox sweep published {Count} events of {Jobs} jobs")]
    private partial void LogSwept(int count, int jobs);
}
