using System.Diagnostics;
using System.Text.Json;

namespace Jobs.Api.Tests.Identity;

/// <summary>
/// A real OpenID Connect provider on loopback: <c>tests/Jobs.Api.Tests/Oidc/provider.mjs</c>
/// (npm <c>oauth2-mock-server</c>, installed by <c>npm ci</c> there; <c>.ci/run</c> does it). It serves
/// discovery and JWKS like any provider; its admin endpoint mints tokens with chosen claims and
/// rotates the signing key. <see cref="Unavailable"/> says why it could not start (the tests skip).
/// </summary>
public sealed class OidcProvider : IDisposable
{
    private readonly Process? _node;
    private readonly HttpClient _admin = new();

    public OidcProvider()
    {
        var folder = FindFolder();
        if (folder is null || !File.Exists(Path.Combine(folder, "node_modules", "oauth2-mock-server", "package.json")))
        {
            Unavailable = "oauth2-mock-server is not installed: run `npm ci` in tests/Jobs.Api.Tests/Oidc (.ci/run does)";
            return;
        }

        try
        {
            _node = Process.Start(new ProcessStartInfo("node", "provider.mjs")
            {
                WorkingDirectory = folder,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Unavailable = $"node is not installed ({e.Message})";
            return;
        }

        var line = _node!.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
        if (line is null)
        {
            Unavailable = "the OIDC provider did not start: " + _node.StandardError.ReadToEnd();
            return;
        }

        using var started = JsonDocument.Parse(line);
        Issuer = started.RootElement.GetProperty("issuer").GetString()!;
        _admin.BaseAddress = new Uri(started.RootElement.GetProperty("admin").GetString()!);
    }

    /// <summary>Why the provider is not running, or null when it is.</summary>
    public string? Unavailable { get; }

    /// <summary>The issuer URL (<c>{Issuer}/.well-known/openid-configuration</c> is its discovery document).</summary>
    public string Issuer { get; } = "";

    /// <summary>A token signed by the provider's current key (<paramref name="expiresIn"/> negative: already expired).</summary>
    public async Task<string> TokenAsync(string sub, string[]? roles = null, string audience = "jobs", int expiresIn = 3600,
        string rolesClaim = "roles", IReadOnlyDictionary<string, string>? claims = null)
    {
        var query = $"token?sub={Uri.EscapeDataString(sub)}&aud={Uri.EscapeDataString(audience)}&expiresIn={expiresIn}"
            + $"&rolesClaim={Uri.EscapeDataString(rolesClaim)}&roles={Uri.EscapeDataString(string.Join(',', roles ?? []))}"
            + string.Concat((claims ?? new Dictionary<string, string>()).Select(c => $"&claim.{Uri.EscapeDataString(c.Key)}={Uri.EscapeDataString(c.Value)}"));
        return await _admin.GetStringAsync(query);
    }

    /// <summary>Publishes a new signing key and signs every later token with it; returns its key id.</summary>
    public async Task<string> RotateKeyAsync() => await (await _admin.PostAsync("rotate", null)).Content.ReadAsStringAsync();

    /// <summary>The host settings that point the standard bearer configuration at this provider.</summary>
    public Dictionary<string, string?> BearerSettings(string audience = "jobs") => new()
    {
        ["Authentication:Schemes:Bearer:Authority"] = Issuer,
        ["Authentication:Schemes:Bearer:ValidIssuer"] = Issuer,
        ["Authentication:Schemes:Bearer:ValidAudiences:0"] = audience,
        ["Authentication:Schemes:Bearer:RequireHttpsMetadata"] = "false",
    };

    public void Dispose()
    {
        if (_node is { HasExited: false })
        {
            _node.StandardInput.Close(); // the provider exits when its input closes
            if (!_node.WaitForExit(5000))
            {
                _node.Kill();
            }
        }

        _node?.Dispose();
        _admin.Dispose();
    }

    private static string? FindFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Jobs.Api.Tests", "Oidc");
            if (File.Exists(Path.Combine(candidate, "provider.mjs")))
            {
                return candidate;
            }
        }

        return null;
    }
}
