using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Jobs.Dispatch.Local;

/// <summary>
/// <c>&lt;run&gt;/runner.json</c>: written when cwltool starts, deleted once the runner has
/// reported how it ended. A marker still there when the runner starts means the host died (kill
/// -9, a power cut) while the workflow ran: nobody watches that cwltool any more, and its job
/// would stay <c>running</c> for ever. <see cref="InterruptedRuns"/> stops the orphan and fails
/// the job. The process's start time is kept with its pid, so a pid the system has since given
/// to another process is never killed.
/// </summary>
internal sealed record RunMarker(int Pid, long StartedUtcTicks)
{
    public const string FileName = "runner.json";

    public static void Write(string run, Process process)
    {
        var marker = new RunMarker(process.Id, process.StartTime.ToUniversalTime().Ticks);
        using var file = OwnerOnlyFile.Open(Path.Combine(run, FileName), FileMode.Create);
        JsonSerializer.Serialize(file, marker);
        file.Flush(flushToDisk: true);
    }

    public static void Delete(string run) => File.Delete(Path.Combine(run, FileName));

    /// <summary>The runs left with a marker under <paramref name="workPath"/>: (job id, run directory, marker or null when unreadable).</summary>
    public static IEnumerable<(string JobId, string Run, RunMarker? Marker)> Find(string workPath)
    {
        if (!Directory.Exists(workPath))
        {
            yield break;
        }

        foreach (var path in Directory.EnumerateFiles(workPath, FileName, new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 1 }))
        {
            var run = Path.GetDirectoryName(path)!;
            RunMarker? marker;
            try
            {
                marker = JsonSerializer.Deserialize<RunMarker>(File.ReadAllBytes(path));
            }
            catch (Exception e) when (e is JsonException or IOException)
            {
                marker = null;
            }

            yield return (Path.GetFileName(run), run, marker);
        }
    }

    /// <summary>Stops the recorded process and everything it started, if it still runs; true when it did.</summary>
    public bool KillIfRunning()
    {
        try
        {
            using var process = Process.GetProcessById(Pid);
            if (Math.Abs(process.StartTime.ToUniversalTime().Ticks - StartedUtcTicks) > TimeSpan.TicksPerSecond)
            {
                return false; // the pid belongs to another process now
            }

            process.Kill(entireProcessTree: true);
            return true;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false; // gone already
        }
    }

    public override string ToString() => Pid.ToString(CultureInfo.InvariantCulture);
}
