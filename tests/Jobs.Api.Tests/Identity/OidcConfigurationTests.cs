using System.Net;
using System.Net.Http.Headers;
using Jobs.Api.Identity;

namespace Jobs.Api.Tests.Identity;

/// <summary>
/// Bearer configurations beyond the defaults, each on its own provider and host: key rotation,
/// Cognito's claims, bearer tokens next to API keys.
/// </summary>
public sealed class OidcConfigurationTests : IDisposable
{
    private readonly OidcProvider _provider = new();
    private readonly JobsApiFactory _factory = new();

    [SkippableFact]
    public async Task A_rotated_signing_key_is_picked_up_from_the_providers_metadata()
    {
        Skip.If(_provider.Unavailable is not null, _provider.Unavailable);
        Configure(_provider.BearerSettings());
        var before = await _provider.TokenAsync("alice");
        Assert.Equal(HttpStatusCode.OK, (await Get(before, "/jobs")).StatusCode);

        var kid = await _provider.RotateKeyAsync();
        var after = await _provider.TokenAsync("alice");

        Assert.Contains(kid, System.Text.Encoding.UTF8.GetString(Base64UrlDecode(after.Split('.')[0])), StringComparison.Ordinal);
        // The first token signed with the unseen key makes the handler ask the authority for its
        // metadata again (RefreshOnIssuerKeyNotFound); that refresh runs in the background, so
        // the tokens of the new key are accepted once it has completed.
        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < 100 && statuses.LastOrDefault() != HttpStatusCode.OK; attempt++)
        {
            statuses.Add((await Get(after, "/jobs")).StatusCode);
            if (statuses[^1] != HttpStatusCode.OK)
            {
                await Task.Delay(50); // waits for the provider's answer, not for a clock
            }
        }

        Assert.Equal(HttpStatusCode.OK, statuses[^1]);
        Assert.All(statuses.SkipLast(1), s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.Equal(HttpStatusCode.OK, (await Get(before, "/jobs")).StatusCode); // the old key is still published
    }

    [SkippableFact]
    public async Task Cognito_claims_name_the_user_and_its_groups_the_roles()
    {
        Skip.If(_provider.Unavailable is not null, _provider.Unavailable);
        Configure(new(_provider.BearerSettings())
        {
            ["Jobs:Auth:UserClaim"] = "cognito:username",
            ["Jobs:Auth:RolesClaim"] = "cognito:groups",
        });
        var admin = await _provider.TokenAsync("0f1e-uuid-of-carol", ["jobs-admin", "staff"], rolesClaim: "cognito:groups",
            claims: new Dictionary<string, string> { ["cognito:username"] = "carol" });
        var user = await _provider.TokenAsync("0f1e-uuid-of-dave", ["staff"], rolesClaim: "cognito:groups",
            claims: new Dictionary<string, string> { ["cognito:username"] = "dave" });

        Assert.Equal(HttpStatusCode.Created, (await Client(admin).PostAsync("/processes", ApiCalls.Json(ApiCalls.Package("cognito", "1")))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Client(user).PostAsync("/processes", ApiCalls.Json(ApiCalls.Package("cognito-2", "1")))).StatusCode);
        var (job, _) = await Client(user).ExecuteAsync("cognito:1");
        Assert.Equal("dave", (await Client(admin).GetJsonAsync($"/jobs/_doc/{job}"))["_source"]!["user-id"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task With_bearer_tokens_and_api_keys_both_work_and_a_401_offers_both()
    {
        Skip.If(_provider.Unavailable is not null, _provider.Unavailable);
        Configure(new(_provider.BearerSettings())
        {
            ["Jobs:Auth:ApiKeys:0:Name"] = "ci",
            ["Jobs:Auth:ApiKeys:0:User"] = "ci-bot",
            ["Jobs:Auth:ApiKeys:0:Sha256"] = ApiKeyHandler.Hash("ci-secret"),
        });

        var anonymous = await _factory.CreateClient().GetAsync("/jobs");
        Assert.Equal(["ApiKey", "Bearer"], anonymous.Headers.WwwAuthenticate.Select(h => h.Scheme).Order());

        var withKey = _factory.CreateClient();
        withKey.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", "ci-secret");
        Assert.Equal(HttpStatusCode.OK, (await withKey.GetAsync("/jobs")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Get(await _provider.TokenAsync("alice"), "/jobs")).StatusCode);
    }

    public void Dispose()
    {
        _factory.Dispose();
        _provider.Dispose();
    }

    private void Configure(Dictionary<string, string?> settings)
    {
        foreach (var (key, value) in settings)
        {
            _factory.Settings[key] = value;
        }
    }

    private HttpClient Client(string token)
    {
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private Task<HttpResponseMessage> Get(string token, string path) => Client(token).GetAsync(path);

    private static byte[] Base64UrlDecode(string text) => Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(text);
}
