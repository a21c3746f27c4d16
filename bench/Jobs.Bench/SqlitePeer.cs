using System.Text.Json;
using Jobs.Core.Jobs;
using Jobs.Core.Json;
using Jobs.Core.Merging;
using Microsoft.Data.Sqlite;

namespace Jobs.Bench;

/// <summary>
/// The jobs in SQLite, as a careful engineer would keep them for the same work: one row per job
/// with its JSON (<c>doc</c>, what a search returns), <c>labels</c> and <c>inputs</c> as JSON1
/// columns, the fields searched by as columns with indices on <c>(status, created)</c> and
/// <c>created</c>, <c>message</c> in an FTS5 table (BM25 ranking, like the query_string's
/// scoring), the events in a table keyed as the embedded store keys them. WAL journal and
/// <c>synchronous=FULL</c>: every committed transaction is on disk, as Jobs acknowledges every
/// create. Updates go through the same Core merge (<see cref="UpdateBatches"/>, this class is its
/// <see cref="IMergeBackend"/>): read the job and which update ids it has, merge, write the job
/// and its events in one transaction, conditional on the version read. One connection: SQLite
/// has one writer at a time, so more connections would only wait on its lock.
/// </summary>
internal sealed class SqlitePeer : IMergeBackend, IDisposable
{
    private const string Schema = """
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = FULL;
        PRAGMA cache_size = -65536;
        PRAGMA mmap_size = 268435456;
        CREATE TABLE IF NOT EXISTS jobs (
            rowid INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            version INTEGER NOT NULL,
            status TEXT NOT NULL,
            created INTEGER NOT NULL,
            user_id TEXT,
            labels TEXT NOT NULL,
            inputs TEXT NOT NULL,
            doc TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS jobs_status_created ON jobs (status, created);
        CREATE INDEX IF NOT EXISTS jobs_created ON jobs (created DESC, id ASC);
        CREATE VIRTUAL TABLE IF NOT EXISTS jobs_fts USING fts5 (message);
        CREATE TABLE IF NOT EXISTS events (key TEXT PRIMARY KEY, job TEXT NOT NULL, doc TEXT NOT NULL) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS events_job ON events (job);
        """;

    private readonly SqliteConnection _db;
    private readonly Dictionary<string, SqliteCommand> _prepared = new(StringComparer.Ordinal);
    private SqliteTransaction? _transaction;

    public SqlitePeer(string path)
    {
        Path = path;
        _db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _db.Open();
        Execute(Schema);
    }

    public string Path { get; }

    /// <summary>The database and its WAL on disk.</summary>
    public long DiskBytes()
    {
        Execute("PRAGMA wal_checkpoint(TRUNCATE);");
        return new FileInfo(Path).Length + (File.Exists(Path + "-wal") ? new FileInfo(Path + "-wal").Length : 0);
    }

    /// <summary>Creates jobs in one transaction (durable once it commits).</summary>
    public void Create(IReadOnlyList<JobDocument> jobs)
    {
        InTransaction(() =>
        {
            foreach (var job in jobs)
            {
                Insert(job);
            }
        });
    }

    private void Insert(JobDocument job)
    {
        var rowid = (long)Command(
            "INSERT INTO jobs (id, version, status, created, user_id, labels, inputs, doc) VALUES ($id, 1, $status, $created, $user, $labels, $inputs, $doc) RETURNING rowid",
            ("$id", job.Id), ("$status", job.Status.ToIndexValue()), ("$created", job.Created.ToUnixTimeMilliseconds()), ("$user", job.UserId),
            ("$labels", JsonSerializer.Serialize(job.Labels)), ("$inputs", JsonSerializer.Serialize(job.Inputs)), ("$doc", Json(job))).ExecuteScalar()!;
        Command("INSERT INTO jobs_fts (rowid, message) VALUES ($rowid, $message)", ("$rowid", rowid), ("$message", job.Message)).ExecuteNonQuery();
        var creation = JobMerger.CreationEvent(job);
        Command("INSERT INTO events (key, job, doc) VALUES ($key, $job, $doc)",
            ("$key", StoredEvents.DocumentId(job.Id, creation)), ("$job", job.Id), ("$doc", JsonSerializer.Serialize(creation, JobsJsonContext.Default.JobEvent))).ExecuteNonQuery();
    }

    // ------------------------------------------------------------------ the queries of the search phase

    /// <summary>A label and a status, newest first, 10 jobs, and the total up to 10,000 as the Jobs response has it.</summary>
    public (int Hits, long Total) LabelAndStatus(string label, string status)
    {
        const string Where = "status = $status AND EXISTS (SELECT 1 FROM json_each(jobs.labels) WHERE value = $label)";
        var hits = Drain(Command($"SELECT doc FROM jobs WHERE {Where} ORDER BY created DESC LIMIT 10", ("$status", status), ("$label", label)));
        var total = (long)Command($"SELECT count(*) FROM (SELECT 1 FROM jobs WHERE {Where} LIMIT 10001)", ("$status", status), ("$label", label)).ExecuteScalar()!;
        return (hits, total);
    }

    public long CountCreated(long fromMillis, long toMillis)
    {
        return (long)Command("SELECT count(*) FROM jobs WHERE created >= $from AND created < $to", ("$from", fromMillis), ("$to", toMillis)).ExecuteScalar()!;
    }

    public Dictionary<string, long> CountByStatus()
    {
        using var reader = Command("SELECT status, count(*) FROM jobs GROUP BY status").ExecuteReader();
        var counts = new Dictionary<string, long>();
        while (reader.Read())
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    /// <summary>
    /// One page of 10 newest first (ties by id), after the last job of the previous page: keyset
    /// pagination, as <c>search_after</c> does, along the <c>(created DESC, id)</c> index. Returns the page's last job.
    /// </summary>
    public (long Created, string Id)? Page((long Created, string Id)? after)
    {
        using var reader = after is { } a
            ? Command("SELECT id, status, created FROM jobs WHERE created <= $c AND (created < $c OR id > $id) ORDER BY created DESC, id ASC LIMIT 10", ("$c", a.Created), ("$id", a.Id)).ExecuteReader()
            : Command("SELECT id, status, created FROM jobs ORDER BY created DESC, id ASC LIMIT 10").ExecuteReader();
        (long, string)? last = null;
        var count = 0;
        while (reader.Read())
        {
            last = (reader.GetInt64(2), reader.GetString(0));
            _ = reader.GetString(1);
            count++;
        }

        return count == 10 ? last : null;
    }

    /// <summary>FTS5 on <c>message</c> (<c>a AND b</c>), best BM25 first, 10 jobs, and the total up to 10,000.</summary>
    public (int Hits, long Total) FullText(string a, string b)
    {
        var match = $"{a} AND {b}";
        var hits = Drain(Command("SELECT j.doc FROM jobs_fts f JOIN jobs j ON j.rowid = f.rowid WHERE jobs_fts MATCH $q ORDER BY f.rank LIMIT 10", ("$q", match)));
        var total = (long)Command("SELECT count(*) FROM (SELECT 1 FROM jobs_fts WHERE jobs_fts MATCH $q LIMIT 10001)", ("$q", match)).ExecuteScalar()!;
        return (hits, total);
    }

    // ------------------------------------------------------------------ IMergeBackend: read-modify-write of jobs

    public Task<IReadOnlyDictionary<string, LoadedJob>> LoadAsync(IReadOnlyList<JobLookup> jobs, CancellationToken cancellationToken)
    {
        var loaded = new Dictionary<string, LoadedJob>(StringComparer.Ordinal);
        foreach (var lookup in jobs)
        {
            using var reader = Command("SELECT version, doc FROM jobs WHERE id = $id", ("$id", lookup.JobId)).ExecuteReader();
            if (!reader.Read())
            {
                loaded[lookup.JobId] = new LoadedJob(null, null, new HashSet<string>());
                continue;
            }

            var version = reader.GetInt64(0);
            var job = JobsJson.ParseJob(System.Text.Encoding.UTF8.GetBytes(reader.GetString(1)));
            var ids = new HashSet<string>(StringComparer.Ordinal);
            foreach (var id in lookup.UpdateIds)
            {
                if (Command("SELECT 1 FROM events WHERE key = $key", ("$key", StoredEvents.MergedId(lookup.JobId, id))).ExecuteScalar() is not null)
                {
                    ids.Add(id);
                }
            }

            loaded[lookup.JobId] = new LoadedJob(job, version, ids);
        }

        return Task.FromResult<IReadOnlyDictionary<string, LoadedJob>>(loaded);
    }

    public Task<IReadOnlyList<JobEvent>> LoadHistoryAsync(string jobId, CancellationToken cancellationToken)
    {
        using var reader = Command("SELECT doc FROM events WHERE job = $job", ("$job", jobId)).ExecuteReader();
        var events = new List<JobEvent>();
        while (reader.Read())
        {
            events.Add(JsonSerializer.Deserialize(reader.GetString(0), JobsJsonContext.Default.JobEvent)!);
        }

        return Task.FromResult<IReadOnlyList<JobEvent>>(events);
    }

    /// <summary>Every change of the batch in one transaction: one fsync for the batch, as the embedded store's group commit.</summary>
    public Task<IReadOnlyList<WriteResult>> WriteAsync(IReadOnlyList<JobChange> changes, CancellationToken cancellationToken)
    {
        var results = new List<WriteResult>(changes.Count);
        InTransaction(() =>
        {
            foreach (var change in changes)
            {
                results.Add(Write(change));
            }
        });
        return Task.FromResult<IReadOnlyList<WriteResult>>(results);
    }

    private WriteResult Write(JobChange change)
    {
        var job = change.Job;
        if (change.IsNew)
        {
            Insert(job);
            return WriteResult.Written;
        }

        var updated = Command(
            "UPDATE jobs SET version = version + 1, status = $status, labels = $labels, inputs = $inputs, doc = $doc WHERE id = $id AND version = $version RETURNING rowid",
            ("$status", job.Status.ToIndexValue()), ("$labels", JsonSerializer.Serialize(job.Labels)), ("$inputs", JsonSerializer.Serialize(job.Inputs)),
            ("$doc", Json(job)), ("$id", change.JobId), ("$version", change.Version)).ExecuteScalar();
        if (updated is not long rowid)
        {
            return new WriteResult(WriteStatus.Conflict);
        }

        Command("UPDATE jobs_fts SET message = $message WHERE rowid = $rowid", ("$message", job.Message), ("$rowid", rowid)).ExecuteNonQuery();
        foreach (var e in change.Events)
        {
            Command("INSERT OR REPLACE INTO events (key, job, doc) VALUES ($key, $job, $doc)",
                ("$key", StoredEvents.DocumentId(change.JobId, e)), ("$job", change.JobId), ("$doc", JsonSerializer.Serialize(e, JobsJsonContext.Default.JobEvent))).ExecuteNonQuery();
        }

        return WriteResult.Written;
    }

    public void Dispose()
    {
        foreach (var command in _prepared.Values)
        {
            command.Dispose();
        }

        _db.Dispose();
    }

    private static string Json(JobDocument job) => System.Text.Encoding.UTF8.GetString(JobsJson.ToUtf8(job));

    private static int Drain(SqliteCommand query)
    {
        using var reader = query.ExecuteReader();
        var rows = 0;
        while (reader.Read())
        {
            _ = reader.GetString(0); // the page's documents are read, as a response needs them
            rows++;
        }

        return rows;
    }

    /// <summary>BEGIN IMMEDIATE … COMMIT: the write lock from the start, one fsync at the commit.</summary>
    private void InTransaction(Action work)
    {
        _transaction = _db.BeginTransaction(deferred: false);
        try
        {
            work();
            _transaction.Commit();
        }
        finally
        {
            _transaction.Dispose();
            _transaction = null;
        }
    }

    private void Execute(string sql)
    {
        using var command = _db.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>A prepared statement per SQL text, kept for the connection's life, bound afresh each time.</summary>
    private SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        if (!_prepared.TryGetValue(sql, out var command))
        {
            command = _db.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, _) in parameters)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            _prepared[sql] = command;
        }

        command.Transaction = _transaction;
        foreach (var (name, value) in parameters)
        {
            command.Parameters[name].Value = value ?? DBNull.Value;
        }

        return command;
    }
}
