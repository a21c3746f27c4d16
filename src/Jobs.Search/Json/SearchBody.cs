using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Core.Search;
using Jobs.Core.Validation;

namespace Jobs.Search.Json;

/// <summary>
/// Reads a <c>_search</c> / <c>_count</c> body strictly, as Elasticsearch's parser does: a key
/// given twice is <c>x_content_parse_exception</c> "Duplicate field", and so is text that is not
/// valid UTF-8 or holds an unpaired surrogate escape (<c>"\ud800"</c>), which System.Text.Json
/// would otherwise accept here and fail on later, as a server error.
/// </summary>
public static class SearchBody
{
    public const string ErrorType = "x_content_parse_exception";

    public static JsonObject Parse(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return [];
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8.ToArray(), new JsonDocumentOptions { MaxDepth = StrictJson.MaxRequestDepth });
        }
        catch (JsonException e)
        {
            throw new SearchException(ErrorType, $"request body is not valid JSON: {e.Message}");
        }

        using (document)
        {
            var errors = new FieldErrors();
            StrictJson.Check(document.RootElement, errors);
            if (errors.ToDictionary().FirstOrDefault() is { Key: var path, Value: [var problem, ..] })
            {
                throw new SearchException(ErrorType, problem.Contains("duplicate key", StringComparison.Ordinal)
                    ? $"Duplicate field '{LastSegment(path)}' (at {path})"
                    : $"[{(path.Length == 0 ? "_na" : path)}] {problem}");
            }

            return document.RootElement.ValueKind == JsonValueKind.Object
                ? JsonObject.Create(document.RootElement.Clone())!
                : throw new SearchException("parsing_exception", "request body must be a JSON object");
        }
    }

    private static string LastSegment(string path)
    {
        var dot = path.LastIndexOf('.');
        var name = dot < 0 ? path : path[(dot + 1)..];
        var bracket = name.IndexOf('[', StringComparison.Ordinal);
        return bracket < 0 ? name : name[..bracket];
    }
}
