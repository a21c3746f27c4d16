using System.Buffers;
using System.Text.Json;
using Jobs.Core.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Jobs.Api.Http;

/// <summary>
/// Reads a request body up to a limit (413 beyond it, whatever the server's own limits) and
/// parses it as JSON (400 naming the problem when it is not). The Content-Type is not
/// required: a body that parses as JSON is accepted.
/// </summary>
public static class RequestBody
{
    /// <summary>The bytes of the body, or a 413 problem (400 when the body's framing is broken).</summary>
    public static async Task<(ReadOnlyMemory<byte> Bytes, ProblemHttpResult? Problem)> ReadAsync(
        HttpRequest request, int limit, string what, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } length && length > limit)
        {
            return (default, Problems.TooLarge(length, limit, what));
        }

        var buffer = new ArrayBufferWriter<byte>(request.ContentLength is { } n and > 0 ? (int)n : 4096);
        while (true)
        {
            var memory = buffer.GetMemory(8192);
            int read;
            try
            {
                read = await request.Body.ReadAsync(memory, cancellationToken);
            }
            catch (IOException e) when (!cancellationToken.IsCancellationRequested)
            {
                // Kestrel's framing errors (a chunk size beyond any length, a body cut short)
                // surface here as IOException: the client's request is at fault, not the server.
                return (default, Problems.Problem(
                    StatusCodes.Status400BadRequest, ProblemTypes.InvalidRequest, "Unreadable request body",
                    $"The {what} could not be read: {e.Message}"));
            }

            if (read == 0)
            {
                break;
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > limit)
            {
                return (default, Problems.TooLarge(-1, limit, what));
            }
        }

        return (buffer.WrittenMemory, null);
    }

    /// <summary>The body as a JSON document, or a 413/400 problem.</summary>
    public static async Task<(JsonDocument? Document, ProblemHttpResult? Problem)> ReadJsonAsync(
        HttpRequest request, int limit, string what, CancellationToken cancellationToken)
    {
        var (bytes, problem) = await ReadAsync(request, limit, what, cancellationToken);
        return problem is not null ? (null, problem) : ParseJson(bytes, what);
    }

    /// <summary>Bytes already read, as a JSON document, or a 400 problem.</summary>
    public static (JsonDocument? Document, ProblemHttpResult? Problem) ParseJson(ReadOnlyMemory<byte> bytes, string what)
    {
        var errors = new FieldErrors();
        if (bytes.IsEmpty)
        {
            errors.Add("", $"is empty; send the {what} as JSON");
            return (null, Problems.Invalid(errors, what));
        }

        var document = JsonRead.Parse(bytes, errors);
        return document is null ? (null, Problems.Invalid(errors, what)) : (document, null);
    }
}
