using System.Net.Sockets;
using System.Text;

namespace Jobs.Api.Tests;

/// <summary>The API on a real Kestrel server, started once for the class.</summary>
public sealed class KestrelApiFixture : IDisposable
{
    public KestrelApiFixture()
    {
        Factory.UseKestrel(0);
        Factory.StartServer();
        Client = Factory.CreateClient();
    }

    public JobsApiFactory Factory { get; } = new();

    public HttpClient Client { get; }

    public void Dispose() => Factory.Dispose();
}

/// <summary>
/// Kestrel hosts are started apart from the other tests: WebApplicationFactory finds the host
/// a Program builds through process-wide hooks, which parallel starts can cross.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KestrelCollection : ICollectionFixture<KestrelApiFixture>
{
    public const string Name = "kestrel";
}

/// <summary>
/// Requests as they arrive on the wire, sent byte for byte to the API on a real Kestrel server
/// (HttpClient would normalise the path and frame the body itself): issue 12, items 5 and 8.
/// </summary>
[Collection(KestrelCollection.Name)]
public sealed class RawHttpTests(KestrelApiFixture fixture)
{
    private readonly HttpClient _client = fixture.Client;

    [Theory]
    [InlineData("DELETE", "/processes/probe:1/jobs/..")]
    [InlineData("DELETE", "/processes/probe:1/jobs/%2e%2e")]
    [InlineData("DELETE", "/processes/probe:1/jobs/%2E%2e/")]
    [InlineData("DELETE", "/processes/probe:1/jobs/.")]
    [InlineData("DELETE", "/processes/probe:1/x/../")]
    [InlineData("DELETE", "/jobs/../processes/probe:1")]
    [InlineData("DELETE", "/jobs/%2e%2e/processes/probe:1")]
    [InlineData("GET", "/processes/probe:1/jobs/..")]
    [InlineData("GET", "/processes/probe:1/jobs/../result")]
    [InlineData("POST", "/processes/probe:1/jobs/..")]
    [InlineData("DELETE", "/processes/probe:1/jobs/..?x=1")]
    [InlineData("GET", "/jobs/%2e%2e")]
    [InlineData("DELETE", "/jobs/%2e%2e")]
    [InlineData("GET", "/jobs/%2e%2e/history")]
    [InlineData("POST", "/jobs/%2e%2e/updates")]
    [InlineData("GET", "/jobs/_doc/..")]
    [InlineData("DELETE", "/processes/probe:1/%2e")]
    public async Task Dot_segments_never_reach_another_resource(string method, string target)
    {
        await _client.PostAsync("/processes", ApiCalls.Json(ApiCalls.Package("probe", "1")));

        var answer = await SendRawAsync($"{method} {target} HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 400", answer, StringComparison.Ordinal);
        Assert.Contains("dot segment", answer, StringComparison.Ordinal);
        var process = await _client.GetAsync("/processes/probe:1");
        Assert.Equal(200, (int)process.StatusCode);
    }

    [Fact]
    public async Task A_chunk_size_beyond_any_length_is_a_400()
    {
        await _client.PostAsync("/processes", ApiCalls.Json(ApiCalls.Package("probe", "1")));
        var before = await _client.SearchAsync("""{"size":0,"track_total_hits":true}""");

        var answer = await SendRawAsync(
            "POST /processes/probe:1/jobs HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            + "ffffffffffffffffff\r\n{\"inputs\":{\"x\":\"v\"}}\r\n0\r\n\r\n");

        Assert.True(answer.StartsWith("HTTP/1.1 400", StringComparison.Ordinal), answer);
        var after = await _client.SearchAsync("""{"size":0,"track_total_hits":true}""");
        Assert.Equal(before["hits"]!["total"]!.ToJsonString(), after["hits"]!["total"]!.ToJsonString());
    }

    private async Task<string> SendRawAsync(string request)
    {
        var address = _client.BaseAddress!;
        using var tcp = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await tcp.ConnectAsync(address.Host, address.Port, timeout.Token);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), timeout.Token);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync(timeout.Token);
    }
}
