using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Jobs.Core.Jobs;
using Jobs.Core.Merging;
using Jobs.Core.Notifications;
using Jobs.Core.Updates;
using Jobs.Embedded;
using Jobs.Notifications;
using Jobs.Notifications.Dispatching;
using Jobs.Notifications.Email;
using Jobs.Notifications.Storage;
using Jobs.Notifications.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Jobs.Bench;

/// <summary>
/// Job events out, on loopback (docs/BENCHMARKS.md, "Delivery"): the embedded store, the outbox
/// dispatcher and the webhook sender as the API host runs them, and a Kestrel receiver answering
/// 200. (1) Outbox read rate: every event of N changes read back in pages. (2) Throughput: N
/// changes written by 16 writers while one subscription covers every job; events/s from the
/// first write to the last delivery received. (3) Latency: one change at a time, from the write
/// call to its webhook arriving (the change's fsync, the dispatch, the signed POST): p50, p99.
/// </summary>
internal static class DeliveryBench
{
    private const string Token = "bench-token-0123456789";

    public static async Task<int> RunAsync(string scratch, int changes)
    {
        var received = new ConcurrentDictionary<string, long>();
        var arrivals = new SemaphoreSlim(0);
        var clock = Stopwatch.StartNew();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using var receiver = builder.Build();
        receiver.Run(async context =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null);
            received.TryAdd(context.Request.Headers[WebhookSignature.EventIdHeader].ToString(), clock.ElapsedTicks);
            arrivals.Release();
        });
        await receiver.StartAsync();
        var url = receiver.Urls.First();

        try
        {
            var options = new NotificationOptions { AllowedHosts = ["127.0.0.1"], MaxParallel = 32 };
            using var store = new EmbeddedJobStore(new EmbeddedStoreOptions { DataPath = Path.Combine(scratch, "data") });
            using var state = new SqliteNotificationStore(Path.Combine(scratch, "notifications.db"));
            using var webhooks = new WebhookSender(options, TimeProvider.System);
            var dispatcher = new OutboxDispatcher(store, state, store, new Renderer(), TimeProvider.System, NullLogger<OutboxDispatcher>.Instance);
            var sender = new DeliverySender(state, webhooks, new EmailSender(options.Smtp), options, TimeProvider.System, NullLogger<DeliverySender>.Instance);
            dispatcher.Queued += sender.Wake;
            await state.AddSubscriptionsAsync([new Subscription
            {
                Id = "bench", Owner = "admin", OwnerIsAdmin = true, Url = url + "/hook", Events = ["*"], Secret = "whsec_bench", Created = DateTimeOffset.UtcNow,
            }], CancellationToken.None);
            using var stop = new CancellationTokenSource();
            var loops = Task.WhenAll(Task.Run(() => dispatcher.RunAsync(stop.Token)), Task.Run(() => sender.RunAsync(stop.Token)));

            // (2) throughput: creations and updates of many jobs, 16 writers at once.
            var jobs = Math.Max(1, changes / 4);
            var started = clock.ElapsedTicks;
            await Parallel.ForAsync(0, jobs, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (j, ct) =>
            {
                var id = $"job-{j:D7}";
                await store.CreateAsync(NewJob(id), ct);
                for (var u = 1; u < 4; u++)
                {
                    await store.ApplyAsync([Progress(id, $"u{u}", u * 25)], ct);
                }
            });
            var written = clock.ElapsedTicks;
            var total = jobs * 4;
            while (received.Count < total)
            {
                await arrivals.WaitAsync(TimeSpan.FromSeconds(60));
            }

            var last = received.Values.Max();
            var seconds = (last - started) / (double)Stopwatch.Frequency;
            var writeSeconds = (written - started) / (double)Stopwatch.Frequency;

            // (1) the outbox read rate, over what (2) wrote.
            var read = Stopwatch.StartNew();
            long cursor = 0, count = 0;
            while (await store.ReadAsync(cursor, null, 1000, CancellationToken.None) is { Count: > 0 } page)
            {
                cursor = page[^1].Sequence;
                count += page.Count;
            }

            var readRate = count / read.Elapsed.TotalSeconds;

            // (3) latency: one change at a time.
            var latencies = new List<double>();
            await store.CreateAsync(NewJob("latency"), CancellationToken.None);
            for (var i = 1; i <= 500; i++)
            {
                var before = received.Count;
                var t0 = clock.ElapsedTicks;
                await store.ApplyAsync([Progress("latency", $"l{i}", i % 100)], CancellationToken.None);
                var seq = store.Head.ToString(System.Globalization.CultureInfo.InvariantCulture);
                while (!received.ContainsKey(seq))
                {
                    await arrivals.WaitAsync(TimeSpan.FromSeconds(10));
                }

                latencies.Add((received[seq] - t0) * 1000.0 / Stopwatch.Frequency);
            }

            await stop.CancelAsync();
            await loops;

            Console.WriteLine($"Delivery benchmark on loopback ({Machine.Describe()})");
            Console.WriteLine($"  outbox read:            {count} events in pages of 1000: {readRate:F0} events/s");
            Console.WriteLine($"  writes:                 {total} changes ({jobs} jobs x 4) by 16 writers in {writeSeconds:F2} s ({total / writeSeconds:F0} changes/s)");
            Console.WriteLine($"  through the outbox:     {total} webhooks delivered {seconds:F2} s after the first write: {total / seconds:F0} events/s");
            Console.WriteLine($"  change to webhook:      p50 {Stats.Percentile(latencies, 50):F2} ms, p99 {Stats.Percentile(latencies, 99):F2} ms (500 changes, one at a time)");
            return 0;
        }
        finally
        {
            await receiver.StopAsync();
            try
            {
                Directory.Delete(scratch, recursive: true);
            }
            catch (IOException)
            {
                // scratch left behind under the temp directory
            }
        }
    }

    private static JobDocument NewJob(string id) =>
        JobMerger.Create(new JobDocument { Id = id, ProcessId = "bench", Created = DateTimeOffset.UtcNow, UserId = "bench", TokenSha256 = UpdateToken.Hash(Token) }, ["bench"]);

    private static JobUpdate Progress(string jobId, string id, int progress) =>
        new(new UpdateMessage { Id = id, JobId = jobId, Token = Token, Time = DateTimeOffset.UtcNow, Status = JobStatus.Running, Progress = progress }, EventSources.Queue);

    /// <summary>A small body with what a receiver needs (the API renders the full statusInfo; its cost is not this benchmark's).</summary>
    private sealed class Renderer : IEventRenderer
    {
        public string JobUrl(string jobId) => "http://bench/jobs/" + jobId;

        public string Render(OutboxEvent e, DeliveryStyle style, string subscriptionId) =>
            $$"""{"id":"{{e.Cursor}}","type":"{{e.Type}}","jobID":"{{e.JobId}}","status":"{{e.Job.Status.ToOgcValue()}}","progress":{{e.Job.Progress ?? 0}}}""";
    }
}
