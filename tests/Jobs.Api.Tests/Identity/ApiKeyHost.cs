using System.Net.Http.Headers;
using Jobs.Api.Identity;

namespace Jobs.Api.Tests.Identity;

/// <summary>The API with API keys configured (only their hashes): alice, bob and an administrator.</summary>
public sealed class ApiKeyHost : IDisposable
{
    public const string AliceKey = "alice-key-0123456789", BobKey = "bob-key-0123456789", AdminKey = "admin-key-0123456789";

    public ApiKeyHost()
    {
        (string Key, string User, string? Role)[] keys = [(AliceKey, "alice", null), (BobKey, "bob", "jobs-user"), (AdminKey, "operator", "jobs-admin")];
        for (var i = 0; i < keys.Length; i++)
        {
            Factory.Settings[$"Jobs:Auth:ApiKeys:{i}:Name"] = keys[i].User + "'s key";
            Factory.Settings[$"Jobs:Auth:ApiKeys:{i}:User"] = keys[i].User;
            Factory.Settings[$"Jobs:Auth:ApiKeys:{i}:Sha256"] = ApiKeyHandler.Hash(keys[i].Key);
            if (keys[i].Role is { } role)
            {
                Factory.Settings[$"Jobs:Auth:ApiKeys:{i}:Roles:0"] = role;
            }
        }
    }

    public JobsApiFactory Factory { get; } = new();

    public HttpClient Client(string? key)
    {
        var client = Factory.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", key);
        }

        return client;
    }

    public void Dispose() => Factory.Dispose();
}
