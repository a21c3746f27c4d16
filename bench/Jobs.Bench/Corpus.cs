using System.Buffers.Binary;
using System.Text.Json;
using Jobs.Core.Jobs;
using Jobs.Core.Merging;
using Jobs.Core.Updates;

namespace Jobs.Bench;

/// <summary>
/// Realistic jobs, generated deterministically from a seed: job <c>i</c> is always the same
/// document. Inputs like the seed's ATMS L1B execute request, one to three labels from a small
/// vocabulary, statuses in production-like proportions, a history of a few events, messages with
/// words. Created times rise with <c>i</c> over the year before <see cref="Epoch"/>.
/// </summary>
internal sealed class Corpus(int seed)
{
    public const string Token = "bench-update-token-0123456789";
    public static readonly DateTimeOffset Epoch = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly string TokenSha256 = UpdateToken.Hash(Token);

    /// <summary>Label vocabulary: the first ones are much more frequent (rough Zipf).</summary>
    public static readonly string[] Labels =
    [
        "re-processing-3", "release23.3", "forward", "nrt", "08-08-23", "campaign-7", "validation", "atms",
        "cris", "viirs", "ops", "test", "backfill-2016", "priority", "calibration", "l1b", "l2", "retry", "qa", "demo",
    ];

    public static readonly string[] Collections =
    [
        "SNDR_SNPP_ATMS_L1A___1", "SNDR_SNPP_CRIS_L1A___1", "SNDR_J1_ATMS_L1A___1", "SNDR_J1_CRIS_L1A___1", "SNDR_SNPP_VIIRS_L1A___1",
    ];

    public static readonly string[] Processes = ["l1b-cwl", "l2-retrieval", "qa-report", "mosaic", "reproject"];

    public static readonly string[] Words =
    [
        "copying", "inputs", "granule", "staging", "processing", "calibration", "radiance", "retrieval", "writing", "outputs",
        "checksum", "uploading", "catalog", "metadata", "waiting", "for", "ancillary", "data", "from", "archive", "l1b", "l2",
        "swath", "geolocation", "orbit", "scan", "quality", "flags", "done", "retrying", "timeout", "s3", "bucket", "products",
    ];

    private static readonly string[] Stages = ["stage-in", "process", "stage-out", "catalog"];
    private static readonly string[] Users = ["alice", "bob", "carol", "ops-bot", "reprocessing"];

    /// <summary>Milliseconds between two jobs' creation: a year's worth of jobs at the largest size.</summary>
    public TimeSpan Spacing { get; init; } = TimeSpan.FromMilliseconds(31_536);

    public DateTimeOffset CreatedAt(int i) => Epoch.AddYears(-1) + Spacing * i;

    /// <summary>The final status of job i: 62 % succeeded, 9 % failed, 3 % dismissed, 12 % running, 14 % submitted.</summary>
    public static JobStatus StatusOf(int i)
    {
        var r = Mix(i, 1) % 100;
        return r switch
        {
            < 62 => JobStatus.Succeeded,
            < 71 => JobStatus.Failed,
            < 74 => JobStatus.Dismissed,
            < 86 => JobStatus.Running,
            _ => JobStatus.Submitted,
        };
    }

    public string IdOf(int i)
    {
        // A UUID v7 from the creation time and seeded random bits: sortable by creation, stable per seed.
        var millis = (ulong)CreatedAt(i).ToUnixTimeMilliseconds();
        var random = Mix(i, seed);
        Span<byte> b = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(b, (millis << 16) | 0x7000 | (random & 0x0FFF));
        BinaryPrimitives.WriteUInt64BigEndian(b[8..], 0x8000_0000_0000_0000UL | ((random >> 12) & 0x3FFF_FFFF_FFFF_FFFFUL) ^ (ulong)i);
        return new Guid(b, bigEndian: true).ToString("D");
    }

    /// <summary>Job i as the store keeps it after its history: created, then updated by its workflow.</summary>
    public JobDocument Job(int i)
    {
        var rng = new Random(unchecked(seed * 7919 + i));
        var created = CreatedAt(i);
        var id = IdOf(i);
        var collection = Collections[rng.Next(Collections.Length)];
        var start = new DateTimeOffset(2016, 1, 1, 0, 0, 0, TimeSpan.Zero).AddHours(rng.Next(0, 24 * 365 * 8));
        var inputs = new Dictionary<string, JsonElement>(StringComparer.Ordinal)
        {
            ["input_collection_id"] = JsonSerializer.SerializeToElement(collection),
            ["start_datetime"] = JsonSerializer.SerializeToElement(start.ToString("yyyy-MM-ddTHH:mm:ssZ")),
            ["stop_datetime"] = JsonSerializer.SerializeToElement(start.AddHours(4).AddSeconds(-1).ToString("yyyy-MM-ddTHH:mm:ssZ")),
            ["output_collection_id"] = JsonSerializer.SerializeToElement(collection.Replace("L1A", "L1B") + "_OUTPUT"),
        };
        var labels = new List<string>();
        var labelCount = 1 + rng.Next(3);
        while (labels.Count < labelCount)
        {
            var label = Labels[(int)(Labels.Length * Math.Pow(rng.NextDouble(), 2.5))];
            if (!labels.Contains(label))
            {
                labels.Add(label);
            }
        }

        var job = JobMerger.Create(new JobDocument
        {
            Id = id,
            ProcessId = Processes[rng.Next(Processes.Length)],
            ProcessVersion = "1." + rng.Next(4),
            Inputs = inputs,
            UserId = Users[rng.Next(Users.Length)],
            Created = created,
            Request = SeedRequest,
            TokenSha256 = TokenSha256,
        }, labels);

        var status = StatusOf(i);
        if (status == JobStatus.Submitted)
        {
            return job;
        }

        var updates = new List<JobUpdate>();
        var t = created.AddSeconds(5 + rng.Next(120));
        var n = 0;
        JobUpdate Update(UpdateMessage m) => new(m, EventSources.Queue) { Trusted = true };
        UpdateMessage Message(JobStatus? s) => new()
        {
            Id = $"{id}-u{n++}",
            JobId = id,
            Token = Token,
            Time = t,
            Status = s,
        };

        if (status == JobStatus.Dismissed && rng.Next(2) == 0)
        {
            updates.Add(Update(Message(JobStatus.Dismissed)));
            return JobMerger.Apply(job, updates, t, new HashSet<string>(), [JobMerger.CreationEvent(job)]).Job;
        }

        updates.Add(Update(Message(JobStatus.Running) with { Stage = Stages[0], Progress = 0, Message = Sentence(rng) }));
        var steps = 1 + rng.Next(3);
        for (var s = 1; s <= steps; s++)
        {
            t = t.AddSeconds(30 + rng.Next(900));
            updates.Add(Update(Message(null) with { Stage = Stages[s % Stages.Length], Progress = 100 * s / (steps + 1), Message = Sentence(rng) }));
        }

        t = t.AddSeconds(30 + rng.Next(600));
        switch (status)
        {
            case JobStatus.Succeeded:
                updates.Add(Update(Message(JobStatus.Succeeded) with
                {
                    Stage = "done",
                    Progress = 100,
                    Message = "done",
                    Outputs = new Dictionary<string, JsonElement>
                    {
                        ["output"] = JsonSerializer.SerializeToElement($"s3://sds-products/{collection}/{id}/granule.nc"),
                    },
                    Labels = rng.Next(5) == 0 ? new LabelChanges(["published"], null) : null,
                }));
                break;
            case JobStatus.Failed:
                updates.Add(Update(Message(JobStatus.Failed) with
                {
                    Message = Sentence(rng),
                    Error = new JobError("workflow-failed", $"step {Stages[rng.Next(Stages.Length)]} exited {1 + rng.Next(3)}"),
                }));
                break;
            case JobStatus.Dismissed:
                updates.Add(Update(Message(JobStatus.Dismissed)));
                break;
        }

        return JobMerger.Apply(job, updates, t, new HashSet<string>(), [JobMerger.CreationEvent(job)]).Job;
    }

    /// <summary>A progress update for a running job, as a worker's Update Job step sends it.</summary>
    public static UpdateMessage Progress(string jobId, string updateId, DateTimeOffset time, int n) => new()
    {
        Id = updateId,
        JobId = jobId,
        Token = Token,
        Time = time,
        Status = JobStatus.Running,
        Stage = Stages[n % Stages.Length],
        Progress = n % 100,
        Message = Sentence(new Random(n)),
        Labels = n % 10 == 0 ? new LabelChanges([Labels[n % Labels.Length]], null) : null,
    };

    public static string Sentence(Random rng)
    {
        var count = 3 + rng.Next(6);
        var words = new string[count];
        for (var w = 0; w < count; w++)
        {
            words[w] = Words[rng.Next(Words.Length)];
        }

        return string.Join(' ', words);
    }

    private static readonly JsonElement SeedRequest = JsonSerializer.SerializeToElement(new
    {
        mode = "async",
        response = "document",
        outputs = new { output = new { transmissionMode = "reference" } },
    });

    private static ulong Mix(int i, int salt)
    {
        // SplitMix64: a stable hash of (i, salt), the same on every machine and run.
        var z = (ulong)(uint)i * 0x9E3779B97F4A7C15UL + (ulong)(uint)salt * 0xBF58476D1CE4E5B9UL + 0x94D049BB133111EBUL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
