using System.Diagnostics;

namespace Jobs.Bench;

/// <summary>
/// <c>--gcdump DIR</c>: after a phase, a heap snapshot of this process (<c>dotnet-gcdump collect</c>,
/// the .NET diagnostics tool, installed with <c>dotnet tool install -g dotnet-gcdump</c>) and its
/// report (the types that hold the most memory) next to it, to find what holds the live heap.
/// Outside every timing; a missing tool is a note on the console, not a failure.
/// </summary>
internal static class HeapDump
{
    public static void Collect(BenchOptions options, string label)
    {
        if (options.GcDump is not { } directory)
        {
            return;
        }

        Directory.CreateDirectory(directory);
        var dump = Path.GetFullPath(Path.Combine(directory, $"{label}.gcdump"));
        try
        {
            Run("collect", "-p", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), "-o", dump);
            File.WriteAllText(Path.ChangeExtension(dump, ".txt"), Run("report", dump));
            Console.WriteLine($"heap snapshot: {dump} (report: {Path.ChangeExtension(dump, ".txt")})");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Console.Error.WriteLine($"--gcdump: dotnet-gcdump could not be started ({e.Message}); install it with: dotnet tool install -g dotnet-gcdump");
        }
    }

    private static string Run(params string[] arguments)
    {
        var tool = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", "dotnet-gcdump");
        var start = new ProcessStartInfo(File.Exists(tool) ? tool : "dotnet-gcdump") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return output.Result + error.Result;
    }
}
