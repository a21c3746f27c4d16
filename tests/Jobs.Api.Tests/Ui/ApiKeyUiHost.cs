namespace Jobs.Api.Tests.Ui;

/// <summary>API keys for alice, bob and an administrator (<c>&lt;user&gt;-key</c>).</summary>
public sealed class ApiKeyUiHost : UiHost
{
    public static readonly string[] Users = ["alice", "bob", "operator"];

    public static string KeyOf(string user) => user + "-key";

    protected override void Configure(Dictionary<string, string?> settings)
    {
        for (var i = 0; i < Users.Length; i++)
        {
            settings[$"Jobs:Auth:ApiKeys:{i}:Name"] = Users[i];
            settings[$"Jobs:Auth:ApiKeys:{i}:User"] = Users[i];
            settings[$"Jobs:Auth:ApiKeys:{i}:Sha256"] = global::Jobs.Api.Identity.ApiKeyHandler.Hash(KeyOf(Users[i]));
        }

        settings["Jobs:Auth:ApiKeys:2:Roles:0"] = "jobs-admin";
    }

    public override HttpClient Client(string? user = null)
    {
        var client = new HttpClient { BaseAddress = BaseUrl };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("ApiKey", KeyOf(user ?? "operator"));
        return client;
    }
}
