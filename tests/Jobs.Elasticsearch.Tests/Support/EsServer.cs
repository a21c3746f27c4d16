using System.Net;
using System.Net.Sockets;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using WireMock.Types;

namespace Jobs.Elasticsearch.Tests.Support;

/// <summary>
/// A real HTTP server on 127.0.0.1 standing in for a cluster of one <see cref="Engine"/>
/// (Elasticsearch 8 unless told): canned answers in, with that engine's headers and media-type
/// refusals, and every request the adapter sent out, in order, for exact assertions.
/// </summary>
internal sealed class EsServer : IDisposable
{
    private readonly WireMockServer _server;

    public EsServer(Engine? engine = null)
    {
        Engine = engine ?? Engine.Elasticsearch8;
        Url = $"http://127.0.0.1:{FreePort()}";
        _server = WireMockServer.Start(new WireMockServerSettings { Urls = [Url], StartAdminInterface = false });
        Engine.RefuseForeignMediaTypes(_server);
    }

    public Engine Engine { get; }

    public string Url { get; }

    public WireMockServer Server => _server;

    /// <summary>Answers <paramref name="method"/> <paramref name="path"/> with a JSON body.</summary>
    public void On(string method, string path, int status, string body, int priority = 10) =>
        _server.Given(Request.Create().UsingMethod(method).WithPath(path))
            .AtPriority(priority)
            .RespondWith(Json(status, body));

    /// <summary>Answers with whatever <paramref name="respond"/> makes of the request (status, JSON body).</summary>
    public void On(string method, string path, Func<RecordedRequest, (int Status, string Body)> respond, int priority = 10) =>
        _server.Given(Request.Create().UsingMethod(method).WithPath(path))
            .AtPriority(priority)
            .RespondWith(Response.Create().WithCallback(message =>
            {
                var (status, body) = respond(RecordedRequest.From(message));
                var headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new(Engine.ContentType) };
                if (Engine.ProductHeader)
                {
                    headers["X-elastic-product"] = new("Elasticsearch");
                }

                return new ResponseMessage
                {
                    StatusCode = status,
                    Headers = headers,
                    BodyData = new WireMock.Util.BodyData { BodyAsString = body, DetectedBodyType = WireMock.Types.BodyType.String },
                };
            }));

    /// <summary>Answers one request after another in turn: the first answer first, the last one from then on.</summary>
    public void OnSequence(string method, string path, params (int Status, string Body)[] answers)
    {
        var scenario = $"{method} {path} {Guid.NewGuid():N}";
        for (var i = 0; i < answers.Length; i++)
        {
            // Later answers outrank earlier ones once their state is reached, and all outrank On().
            var request = _server.Given(Request.Create().UsingMethod(method).WithPath(path)).AtPriority(-i).InScenario(scenario);
            if (i > 0)
            {
                request = request.WhenStateIs($"answered {i}");
            }

            if (i < answers.Length - 1)
            {
                request = request.WillSetStateTo($"answered {i + 1}");
            }

            request.RespondWith(Json(answers[i].Status, answers[i].Body));
        }
    }

    public IReadOnlyList<RecordedRequest> Requests =>
        _server.LogEntries.Select(e => RecordedRequest.From(e.RequestMessage)).ToList();

    public void ClearLog() => _server.ResetLogEntries();

    public void Dispose() => _server.Stop();

    /// <summary>A port nothing listens on (for connection failures) or that a server may take.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private IResponseBuilder Json(int status, string body) => Engine.Answer(status, body);
}

/// <summary>One request as the server received it.</summary>
internal sealed record RecordedRequest(string Method, string PathAndQuery, string? Body, IReadOnlyDictionary<string, string> Headers)
{
    public static RecordedRequest From(IRequestMessage message) => new(
        message.Method,
        message.AbsolutePath + (string.IsNullOrEmpty(message.RawQuery) ? "" : message.RawQuery.StartsWith('?') ? message.RawQuery : "?" + message.RawQuery),
        message.Body,
        message.Headers?.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase)
            ?? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase));

    /// <summary><c>POST /jobs/_search</c></summary>
    public string Line => $"{Method} {PathAndQuery}";

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public override string ToString() => Body is null ? Line : $"{Line}\n{Body}";
}
