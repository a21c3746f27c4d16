using Jobs.Api.Tests.Identity;

namespace Jobs.Api.Tests.Ui;

/// <summary>
/// Bearer tokens from a real OpenID Connect provider on loopback (oauth2-mock-server, whose
/// authorization endpoint signs the browser in as <c>browser-user</c> at once), and the page
/// configured as its public client <c>jobs-page</c>.
/// </summary>
public sealed class OidcUiHost : UiHost
{
    public OidcProvider Provider { get; } = new();

    public override string? Unavailable => base.Unavailable ?? Provider.Unavailable;

    protected override void Configure(Dictionary<string, string?> settings)
    {
        foreach (var (key, value) in Provider.BearerSettings())
        {
            settings[key] = value;
        }

        settings["Jobs:Ui:OidcClientId"] = "jobs-page";
    }

    public override HttpClient Client(string? user = null)
    {
        var client = new HttpClient { BaseAddress = BaseUrl };
        var token = Provider.TokenAsync(user ?? "operator", user is null ? ["jobs-admin"] : null).GetAwaiter().GetResult();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Provider.Dispose();
    }
}
