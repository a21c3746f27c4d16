using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Jobs.Elasticsearch.Tests.Support;

/// <summary>
/// How one engine answers over HTTP, for <see cref="EsServer"/> to play it: its <c>GET /</c>, the
/// headers on every answer, and the media types it refuses before reading the request.
/// </summary>
/// <remarks>
/// Elasticsearch 8 and 9 send <c>X-elastic-product: Elasticsearch</c> and
/// <c>application/json</c>; OpenSearch 2 sends no product header and
/// <c>application/json; charset=UTF-8</c>. Elasticsearch 8 answers a request that asks for a
/// REST API compatibility it does not have (<c>compatible-with=9</c>) with 400
/// <c>media_type_header_exception</c>; OpenSearch knows no <c>application/vnd.elasticsearch+json</c>
/// and answers a body of that type with 406 (an <c>Accept</c> it does not know it answers with
/// JSON); Elasticsearch 9 takes <c>compatible-with=8</c> and <c>=9</c>.
/// </remarks>
internal sealed record Engine(string Name, string Info, bool ProductHeader, string ContentType, string FlatType)
{
    public static readonly Engine Elasticsearch8 = new("Elasticsearch 8.15.3", EsAnswers.Elasticsearch8Info, true, "application/json", "flattened");

    public static readonly Engine Elasticsearch9 = new("Elasticsearch 9.1.5", EsAnswers.Elasticsearch9Info, true, "application/json", "flattened");

    public static readonly Engine OpenSearch2 = new("OpenSearch 2.17.1", EsAnswers.OpenSearch2Info, false, "application/json; charset=UTF-8", "flat_object");

    public static Engine ByName(string name) => new[] { Elasticsearch8, Elasticsearch9, OpenSearch2 }.Single(e => e.Name == name);

    /// <summary>Installs the engine's refusals of media types, ahead of every other answer.</summary>
    internal void RefuseForeignMediaTypes(WireMockServer server)
    {
        if (this == Elasticsearch8)
        {
            foreach (var header in new[] { "Accept", "Content-Type" })
            {
                server.Given(Request.Create().WithHeader(header, "*compatible-with=9*")).AtPriority(-1000).RespondWith(Answer(400, $$$"""
                    {"error":{"root_cause":[{"type":"media_type_header_exception","reason":"Invalid media-type value on headers [{{{header}}}]"}],"type":"media_type_header_exception","reason":"Invalid media-type value on headers [{{{header}}}]","caused_by":{"type":"status_exception","reason":"A compatible version is required on both Content-Type and Accept headers if either one has requested a compatible version and the compatible versions must match. Accept=application/vnd.elasticsearch+json; compatible-with=9, Content-Type=null"}},"status":400}
                    """));
            }
        }
        else if (this == OpenSearch2)
        {
            server.Given(Request.Create().WithHeader("Content-Type", "*vnd.elasticsearch*")).AtPriority(-1000).RespondWith(Answer(406, """
                {"error":"Content-Type header [application/vnd.elasticsearch+json; compatible-with=9] is not supported","status":406}
                """));
        }
    }

    /// <summary>A JSON answer with this engine's headers.</summary>
    internal IResponseBuilder Answer(int status, string body)
    {
        var response = Response.Create().WithStatusCode(status).WithHeader("Content-Type", ContentType).WithBody(body.Trim());
        return ProductHeader ? response.WithHeader("X-elastic-product", "Elasticsearch") : response;
    }

    public override string ToString() => Name;
}
