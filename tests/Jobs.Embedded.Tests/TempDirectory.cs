namespace Jobs.Embedded.Tests;

/// <summary>A fresh directory under the temp path, deleted at the end of the test.</summary>
public sealed class TempDirectory : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "jobs-embedded-tests", Guid.NewGuid().ToString("N"));

    public TempDirectory() => Directory.CreateDirectory(Path);

    public EmbeddedJobStore OpenStore(int checkpointSeconds = 3600) =>
        new(new EmbeddedStoreOptions { DataPath = Path, CheckpointSeconds = checkpointSeconds });

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
