using System.Diagnostics;
using System.Globalization;

namespace Jobs.Bench;

/// <summary>
/// Samples a process's working set every 50 ms; <see cref="TakePeak"/> returns the largest value
/// seen since the previous call (the peak of one phase), where <see cref="Process.PeakWorkingSet64"/>
/// only knows the process's lifetime peak. On Linux it also samples the anonymous part of the
/// working set (<c>RssAnon</c> of <c>/proc/PID/status</c>: the GC heap, native allocations, stacks),
/// which is the working set less the pages of memory-mapped files (Lucene's index files, the
/// runtime's own DLLs): those are page cache the kernel reclaims under pressure.
/// </summary>
internal sealed class MemorySampler : IDisposable
{
    private readonly Process _process;
    private readonly string _status;
    private readonly Timer _timer;
    private long _peak;
    private long _peakAnonymous;

    public MemorySampler(Process process)
    {
        _process = process;
        _status = $"/proc/{process.Id}/status";
        _timer = new Timer(_ => Sample(), null, 0, 50);
    }

    /// <summary>The peak working set since the last call (bytes).</summary>
    public long TakePeak() => TakePeaks().WorkingSet;

    /// <summary>The peak working set and the peak of its anonymous part since the last call (bytes; the second is NaN off Linux).</summary>
    public (long WorkingSet, double Anonymous) TakePeaks()
    {
        Sample();
        var anonymous = Interlocked.Exchange(ref _peakAnonymous, 0);
        return (Interlocked.Exchange(ref _peak, 0), anonymous > 0 ? anonymous : double.NaN);
    }

    private void Sample()
    {
        try
        {
            _process.Refresh();
            Raise(ref _peak, _process.WorkingSet64);
            if (ReadAnonymous() is { } anonymous)
            {
                Raise(ref _peakAnonymous, anonymous);
            }
        }
        catch (InvalidOperationException)
        {
            // the process exited
        }
    }

    private long? ReadAnonymous()
    {
        try
        {
            foreach (var line in File.ReadLines(_status))
            {
                if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan(8).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }

    private static void Raise(ref long peak, long value)
    {
        long seen;
        while (value > (seen = Interlocked.Read(ref peak)) && Interlocked.CompareExchange(ref peak, value, seen) != seen)
        {
        }
    }

    public void Dispose() => _timer.Dispose();
}
