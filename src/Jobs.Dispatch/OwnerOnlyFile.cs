namespace Jobs.Dispatch;

/// <summary>Files holding secrets (the token key, a run's input object with its token): readable by the owner only on Unix.</summary>
internal static class OwnerOnlyFile
{
    public static FileStream Open(string path, FileMode mode)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new FileStream(path, options);
    }
}
