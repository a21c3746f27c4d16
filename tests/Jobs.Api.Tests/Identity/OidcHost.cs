using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Jobs.Api.Tests.Identity;

/// <summary>
/// The API with only the standard bearer configuration, pointing at a real local OpenID
/// Connect provider; tokens for alice, bob, an administrator, and the broken ones.
/// </summary>
public sealed class OidcHost : IAsyncLifetime
{
    public OidcProvider Provider { get; } = new();

    public JobsApiFactory Factory { get; } = new();

    public Dictionary<string, string?> Tokens { get; } = [];

    public async Task InitializeAsync()
    {
        if (Provider.Unavailable is not null)
        {
            return;
        }

        foreach (var (key, value) in Provider.BearerSettings())
        {
            Factory.Settings[key] = value;
        }

        Tokens["anonymous"] = null;
        Tokens["alice"] = await Provider.TokenAsync("alice");
        Tokens["bob"] = await Provider.TokenAsync("bob", ["jobs-user"]);
        Tokens["admin"] = await Provider.TokenAsync("operator", ["jobs-admin"]);
        Tokens["expired"] = await Provider.TokenAsync("alice", expiresIn: -900); // beyond the 5 minutes of clock skew allowed
        Tokens["wrong-audience"] = await Provider.TokenAsync("alice", audience: "another-app");
        Tokens["unknown-key"] = Forged(Provider.Issuer, "alice");
    }

    public HttpClient Client(string caller)
    {
        var client = Factory.CreateClient();
        if (Tokens[caller] is { } token)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public Task DisposeAsync()
    {
        Factory.Dispose();
        Provider.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>A well-formed token for the right issuer and audience, signed by a key the provider never published (same key id).</summary>
    private static string Forged(string issuer, string sub)
    {
        using var rsa = RSA.Create(2048);
        var key = new RsaSecurityKey(rsa.ExportParameters(true)) { KeyId = "key-1" };
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = "jobs",
            Subject = new ClaimsIdentity([new Claim("sub", sub)]),
            Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }
}
