using Jobs.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Jobs.Api.Tests;

/// <summary>
/// Where the API listens: port 5001 by default, and whatever the caller names otherwise
/// (the README's configuration table). Command-line keys stand in for the environment variables
/// of the same name (<c>ASPNETCORE_URLS</c> is the key <c>urls</c>), which tests running in
/// parallel must not set.
/// </summary>
public sealed class ListenAddressTests
{
    [SkippableFact]
    public void With_nothing_named_the_api_listens_on_5001()
    {
        var named = new[] { "ASPNETCORE_URLS", "DOTNET_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS" }
            .Where(v => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(v))).ToList();
        Skip.If(named.Count > 0, $"this environment names an address itself ({string.Join(", ", named)})");
        var builder = WebApplication.CreateBuilder([]);

        builder.ListenByDefaultOn("http://localhost:5001");

        Assert.Equal("http://localhost:5001", builder.Configuration["urls"]);
    }

    [Theory]
    [InlineData("--urls", "http://localhost:5077", "urls")]
    [InlineData("--http_ports", "5076", "http_ports")]
    public void A_named_address_wins_over_the_default(string option, string value, string key)
    {
        var builder = WebApplication.CreateBuilder([option, value]);

        builder.ListenByDefaultOn("http://localhost:5001");

        Assert.Equal(value, builder.Configuration[key]);
        Assert.NotEqual("http://localhost:5001", builder.Configuration["urls"]);
    }

    [Fact]
    public void Kestrel_endpoints_from_configuration_win_over_the_default()
    {
        var builder = WebApplication.CreateBuilder(["--Kestrel:Endpoints:Http:Url", "http://localhost:5075"]);

        builder.ListenByDefaultOn("http://localhost:5001");

        Assert.Null(builder.Configuration["urls"]);
    }
}
