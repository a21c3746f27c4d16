using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Jobs.Cli.Client;

/// <summary>A successful answer of the API: its status, headers and JSON body (null when there is none).</summary>
public sealed record ApiResponse(HttpStatusCode Status, HttpResponseHeaders Headers, JsonNode? Body);
