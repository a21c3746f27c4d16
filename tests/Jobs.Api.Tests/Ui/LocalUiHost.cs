namespace Jobs.Api.Tests.Ui;

/// <summary>The single-machine default: no authentication, the browser on loopback is the administrator.</summary>
public sealed class LocalUiHost : UiHost
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
    }

    public override HttpClient Client(string? user = null) => new() { BaseAddress = BaseUrl };
}
