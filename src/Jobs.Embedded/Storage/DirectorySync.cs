using System.Runtime.InteropServices;

namespace Jobs.Embedded.Storage;

/// <summary>
/// Makes a directory's entries durable: a new file (a log segment) or a rename (the process
/// snapshot) is only on disk once its directory is fsynced, not when the file itself is. On
/// Linux and macOS the directory is opened read-only and fsynced (.NET cannot open a directory as
/// a stream, hence the two libc calls). On Windows it is a no-op: NTFS journals its metadata, and
/// Windows has no fsync of a directory handle (FlushFileBuffers needs a write handle on a file).
/// </summary>
internal static class DirectorySync
{
    private const int ReadOnly = 0;

    public static void Fsync(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fd = Open([.. System.Text.Encoding.UTF8.GetBytes(directory), 0], ReadOnly);
        if (fd < 0)
        {
            throw new IOException($"Could not open the directory {directory} to fsync it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (FsyncFd(fd) != 0)
            {
                throw new IOException($"Could not fsync the directory {directory} (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    // DllImport with blittable arguments (the path as NUL-terminated UTF-8): LibraryImport would
    // need unsafe code in the project for three calls.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open(byte[] path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int FsyncFd(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
#pragma warning restore SYSLIB1054
}
