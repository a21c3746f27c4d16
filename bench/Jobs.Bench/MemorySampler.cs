using System.Diagnostics;

namespace Jobs.Bench;

/// <summary>
/// Samples a process's working set every 50 ms; <see cref="TakePeak"/> returns the largest value
/// seen since the previous call (the peak of one phase), where <see cref="Process.PeakWorkingSet64"/>
/// only knows the process's lifetime peak.
/// </summary>
internal sealed class MemorySampler : IDisposable
{
    private readonly Process _process;
    private readonly Timer _timer;
    private long _peak;

    public MemorySampler(Process process)
    {
        _process = process;
        _timer = new Timer(_ => Sample(), null, 0, 50);
    }

    public long TakePeak()
    {
        Sample();
        return Interlocked.Exchange(ref _peak, 0);
    }

    private void Sample()
    {
        try
        {
            _process.Refresh();
            var ws = _process.WorkingSet64;
            long seen;
            while (ws > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, ws, seen) != seen)
            {
            }
        }
        catch (InvalidOperationException)
        {
            // the process exited
        }
    }

    public void Dispose() => _timer.Dispose();
}
