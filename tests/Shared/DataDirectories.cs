namespace Jobs.Tests.Shared;

/// <summary>Removes a test host's temporary data directory once the host is disposed.</summary>
internal static class DataDirectories
{
    /// <summary>
    /// Deletes <paramref name="path"/> if it is there. A file can still appear under
    /// <c>jobs/events</c> while an API host on the embedded store shuts down (an open shutdown
    /// race of the store, seen a few times in hundreds of runs; docs/embedded.md), so a directory
    /// that is not empty by the time it is removed is left behind: a temporary directory is not
    /// what the tests using this are about.
    /// </summary>
    public static void DeleteQuietly(string path)
    {
        if (!Directory.Exists(path))
        {
            return;
        }

        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // see above
        }
    }
}
