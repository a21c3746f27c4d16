using System.Text;
using Jobs.Core.Storage;
using Jobs.Embedded.Storage;

namespace Jobs.Embedded.Tests.Storage;

public sealed class WriteAheadLogTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private WriteAheadLog Open(WalRecovery.Result? recovery = null) =>
        new(_dir.Path, recovery?.Segments ?? [], recovery?.LastSequence ?? 0, segmentBytes: 1 << 20);

    private List<WalRecord> Recover(out WalRecovery.Result result)
    {
        var records = new List<WalRecord>();
        result = WalRecovery.Read(_dir.Path, r => records.Add(r with { Payload = r.Payload.ToArray() }));
        return records;
    }

    private static async Task AppendAsync(WriteAheadLog log, string key, string payload)
    {
        log.Append(WalRecordKind.Job, key, Encoding.UTF8.GetBytes(payload), out var durable);
        log.Signal();
        await durable;
    }

    [Fact]
    public async Task Appended_records_are_read_back_in_sequence_order()
    {
        using (var log = Open())
        {
            await AppendAsync(log, "a", "{\"n\":1}");
            await AppendAsync(log, "b", "{\"n\":2}");
            await AppendAsync(log, "ü-ß", "{\"n\":3}");
        }

        var records = Recover(out var result);

        Assert.Equal([1L, 2L, 3L], records.Select(r => r.Sequence));
        Assert.Equal(["a", "b", "ü-ß"], records.Select(r => r.Key));
        Assert.Equal("{\"n\":3}", Encoding.UTF8.GetString(records[2].Payload.Span));
        Assert.Equal(0, result.TornTails);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(12)]
    public async Task Torn_tail_is_ignored_and_cut_off_at_recovery(int bytesCut)
    {
        using (var log = Open())
        {
            await AppendAsync(log, "a", "first");
            await AppendAsync(log, "b", "second");
            await AppendAsync(log, "c", "third, torn by the crash");
        }

        var file = Directory.GetFiles(_dir.Path, "*.wal").Single();
        var length = new FileInfo(file).Length;
        using (var stream = new FileStream(file, FileMode.Open))
        {
            stream.SetLength(length - bytesCut);
        }

        var records = Recover(out var result);

        Assert.Equal(["a", "b"], records.Select(r => r.Key));
        Assert.Equal(1, result.TornTails);
        Assert.Equal(2, result.LastSequence);

        // The log goes on after the cut: the next record is 3 and survives another recovery.
        using (var log = Open(result))
        {
            await AppendAsync(log, "c", "third, again");
        }

        Assert.Equal(["a", "b", "c"], Recover(out var again).Select(r => r.Key));
        Assert.Equal(0, again.TornTails);
    }

    [Fact]
    public async Task Record_failing_its_checksum_ends_the_log()
    {
        using (var log = Open())
        {
            await AppendAsync(log, "a", "first");
            await AppendAsync(log, "b", "second");
        }

        var file = Directory.GetFiles(_dir.Path, "*.wal").Single();
        var bytes = File.ReadAllBytes(file);
        bytes[^2] ^= 0x40; // one flipped bit in the last record's payload
        File.WriteAllBytes(file, bytes);

        Assert.Equal(["a"], Recover(out var result).Select(r => r.Key));
        Assert.Equal(1, result.TornTails);
    }

    [Fact]
    public async Task Concurrent_appends_share_one_fsync()
    {
        using var log = Open();
        using var hold = FsyncHold.OfFirstRecord(log);

        // The first record's fsync is held while 49 more records arrive; they must all share the next one.
        var rest = Enumerable.Range(0, 49).Select(i =>
        {
            log.Append(WalRecordKind.Job, $"k{i}", [2], out var durable);
            log.Signal();
            return durable;
        }).ToList();
        hold.Release();
        await hold.First;
        await Task.WhenAll(rest);

        Assert.Equal(2, log.FsyncCount);
    }

    [Fact]
    public async Task A_writer_waits_while_the_pending_records_exceed_the_bound_and_goes_on_once_the_flusher_took_them()
    {
        using var log = new WriteAheadLog(_dir.Path, [], 0, segmentBytes: 1 << 20) { MaxPendingBytes = 1_000 };
        using var hold = FsyncHold.OfFirstRecord(log);

        // The flusher holds the first batch; 600 bytes wait behind it, and 600 more would pass the bound.
        log.Append(WalRecordKind.Job, "second", new byte[600], out var second);
        var third = Task.Run(async () =>
        {
            log.Append(WalRecordKind.Job, "third", new byte[600], out var durable);
            log.Signal();
            await durable;
            return log.LastSequence;
        });
        Assert.True(SpinWait.SpinUntil(() => log.WaitingWriters == 1, TimeSpan.FromSeconds(30)), "the third writer did not wait");
        Assert.Equal(2, log.LastSequence);

        log.BeforeFsync = null;
        hold.Release();
        await Task.WhenAll(hold.First, second);
        Assert.Equal(3, await third);
        Assert.Equal(0, log.WaitingWriters);
    }

    [Fact]
    public async Task A_record_larger_than_the_bound_alone_is_not_held_back()
    {
        using var log = new WriteAheadLog(_dir.Path, [], 0, segmentBytes: 1 << 20) { MaxPendingBytes = 1_000 };

        await AppendAsync(log, "big", new string('x', 5_000));

        Assert.Equal(1, log.FsyncCount);
    }

    [Fact]
    public async Task Failed_fsync_fails_its_waiters_and_every_later_append()
    {
        using var log = Open();
        log.BeforeFsync = () => throw new IOException("disk gone");

        log.Append(WalRecordKind.Job, "a", [1], out var durable);
        log.Signal();

        await Assert.ThrowsAsync<StoreUnavailableException>(() => durable);
        Assert.Throws<StoreUnavailableException>(() => log.Append(WalRecordKind.Job, "b", [2], out _));
    }

    [Fact]
    public async Task A_record_the_reader_would_refuse_is_refused_before_it_is_acknowledged_and_the_log_goes_on()
    {
        using (var log = Open())
        {
            await AppendAsync(log, "a", "first");
            var tooLarge = new byte[WalRecord.MaxBodyBytes];

            var refused = Assert.Throws<StoreUnavailableException>(() => log.Append(WalRecordKind.Job, "b", tooLarge, out _));

            Assert.Contains("at most 67,108,864 bytes (64 MiB)", refused.Message);
            Assert.Equal(1, log.LastSequence);
            Assert.Null(log.Failure);
            await AppendAsync(log, "c", "after");
        }

        Assert.Equal(["a", "c"], Recover(out var result).Select(r => r.Key));
        Assert.Equal(0, result.TornTails);
    }

    [Fact]
    public void The_largest_record_the_reader_reads_is_the_largest_the_writer_takes()
    {
        var largest = WalRecord.MaxBodyBytes - (int)WalRecord.BodyBytes("k", 0);

        WriteAheadLog.EnsureReadable("k", largest);
        Assert.Throws<StoreUnavailableException>(() => WriteAheadLog.EnsureReadable("k", largest + 1));
    }

    [Fact]
    public async Task A_failed_write_cuts_the_segment_back_so_the_refused_record_is_not_read_back()
    {
        using (var log = Open())
        {
            await AppendAsync(log, "a", "durable");
            log.BeforeFsync = () => throw new IOException("No space left on device");
            log.Append(WalRecordKind.Job, "b", Encoding.UTF8.GetBytes("written, never fsynced"), out var refused);
            log.Signal();
            await Assert.ThrowsAsync<StoreUnavailableException>(() => refused);
        }

        Assert.Equal(["a"], Recover(out var result).Select(r => r.Key));
        Assert.Equal(0, result.TornTails);
    }

    [Fact]
    public void A_directory_is_fsynced_and_a_missing_one_is_an_error()
    {
        DirectorySync.Fsync(_dir.Path);

        if (!OperatingSystem.IsWindows())
        {
            Assert.Throws<IOException>(() => DirectorySync.Fsync(Path.Combine(_dir.Path, "missing")));
        }
    }

    /// <summary>A first record appended and signalled, its fsync held (the flusher waits inside it) until <see cref="Release"/>.</summary>
    private sealed class FsyncHold : IDisposable
    {
        private readonly ManualResetEventSlim _started = new();
        private readonly ManualResetEventSlim _release = new();

        public Task First { get; private set; } = Task.CompletedTask;

        public static FsyncHold OfFirstRecord(WriteAheadLog log)
        {
            var hold = new FsyncHold();
            log.BeforeFsync = () =>
            {
                hold._started.Set();
                hold._release.Wait();
            };
            log.Append(WalRecordKind.Job, "first", [1], out var first);
            hold.First = first;
            log.Signal();
            hold._started.Wait();
            return hold;
        }

        public void Release() => _release.Set();

        public void Dispose()
        {
            _started.Dispose();
            _release.Dispose();
        }
    }
}
