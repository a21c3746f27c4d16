using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Jobs.Cli.Tests;

/// <summary>The API on the embedded store in a temporary directory (removed with the factory).</summary>
public sealed class EmbeddedApiFactory : WebApplicationFactory<Program>
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "jobs-cli-tests", Guid.NewGuid().ToString("N"));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Jobs:Store", "embedded");
        builder.UseSetting("Jobs:Embedded:DataPath", _data);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Jobs.Tests.Shared.DataDirectories.DeleteQuietly(_data);
        }
    }
}
