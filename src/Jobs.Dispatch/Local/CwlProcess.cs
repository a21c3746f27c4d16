using System.Diagnostics;
using System.Text;

namespace Jobs.Dispatch.Local;

/// <summary>How a cwltool run ended: its exit code, what it printed on stdout, the end of stderr, and whether it was stopped.</summary>
public sealed record CwlExit(int ExitCode, string Stdout, string StderrTail, bool Killed);

/// <summary>
/// One cwltool process: started with its arguments and environment, stdout kept whole (the
/// output object), stderr copied to a log file with only its end kept in memory, and stopped
/// with its whole process tree (the tools cwltool started) on request.
/// </summary>
public sealed class CwlProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _tail = new();
    private readonly int _tailChars;
    private readonly StreamWriter _log;
    private volatile bool _killed;

    private CwlProcess(Process process, int tailChars, StreamWriter log)
    {
        _process = process;
        _tailChars = tailChars;
        _log = log;
    }

    public int Id => _process.Id;

    /// <summary>Starts the process; throws <see cref="System.ComponentModel.Win32Exception"/> when the executable is not found.</summary>
    public static CwlProcess Start(string executable, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment, string stderrLog, int tailChars)
    {
        var info = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var run = new CwlProcess(process, tailChars, new StreamWriter(stderrLog, append: true) { AutoFlush = true });
        process.OutputDataReceived += (_, e) => run.OnStdout(e.Data);
        process.ErrorDataReceived += (_, e) => run.OnStderr(e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return run;
    }

    /// <summary>Leaves the <see cref="RunMarker"/> of this process in the run's directory.</summary>
    internal void Mark(string run) => RunMarker.Write(run, _process);

    /// <summary>Waits for the process (and its output streams) to end.</summary>
    public async Task<CwlExit> WaitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);
        lock (_tail)
        {
            return new CwlExit(_process.ExitCode, _stdout.ToString(), _tail.ToString(), _killed);
        }
    }

    /// <summary>Stops cwltool and every process it started.</summary>
    public void Kill()
    {
        _killed = true;
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It has already exited.
        }
    }

    private void OnStdout(string? line)
    {
        if (line is not null)
        {
            lock (_stdout)
            {
                _stdout.AppendLine(line);
            }
        }
    }

    private void OnStderr(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_tail)
        {
            _log.WriteLine(line);
            _tail.AppendLine(line);
            if (_tail.Length > _tailChars * 2)
            {
                _tail.Remove(0, _tail.Length - _tailChars);
            }
        }
    }

    public void Dispose()
    {
        _process.Dispose();
        lock (_tail)
        {
            _log.Dispose();
        }
    }
}
