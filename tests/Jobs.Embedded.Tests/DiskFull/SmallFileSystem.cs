using System.Diagnostics;

namespace Jobs.Embedded.Tests.DiskFull;

/// <summary>
/// A real file system of a few MiB (a tmpfs mounted for the test), so a full disk is the
/// kernel's ENOSPC and not a simulation. Needs Linux and the right to mount (root); null, with
/// the reason, where that is not available.
/// </summary>
internal sealed class SmallFileSystem : IDisposable
{
    private SmallFileSystem(string path) => Path = path;

    public string Path { get; }

    public static SmallFileSystem? TryMount(int megabytes, out string? whyNot)
    {
        whyNot = null;
        if (!OperatingSystem.IsLinux())
        {
            whyNot = "a small file system is mounted as a tmpfs, which needs Linux";
            return null;
        }

        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "jobs-disk-full", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        var (code, error) = Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", path);
        if (code != 0)
        {
            Directory.Delete(path);
            whyNot = $"mounting a {megabytes} MiB tmpfs failed (it needs root): {error.Trim()}";
            return null;
        }

        return new SmallFileSystem(path);
    }

    /// <summary>Fills the file system up to <paramref name="leaveBytes"/> free; deleting the returned file frees it again.</summary>
    public string Fill(long leaveBytes)
    {
        var filler = System.IO.Path.Combine(Path, "filler");
        var free = new DriveInfo(Path).AvailableFreeSpace;
        using var stream = new FileStream(filler, FileMode.Create, FileAccess.Write);
        var chunk = new byte[1 << 16];
        for (var left = free - leaveBytes; left > 0; left -= chunk.Length)
        {
            stream.Write(chunk, 0, (int)Math.Min(chunk.Length, left));
        }

        return filler;
    }

    public void Dispose()
    {
        Run("umount", "-l", Path);
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Still busy: the temp directory is cleaned up with the machine.
        }
    }

    private static (int Code, string Error) Run(string file, params string[] args)
    {
        try
        {
            var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, error);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
