using System.Text.Json;
using Jobs.Core.Jobs;
using Jobs.Core.Updates;
using Jobs.Core.Validation;

namespace Jobs.Cli.Updates;

/// <summary>What a worker says about its job in one Update Job step.</summary>
public sealed record UpdateRequest(
    string JobId,
    string Token,
    string? Status = null,
    string? Stage = null,
    int? Progress = null,
    string? Message = null,
    IReadOnlyList<string>? Outputs = null,
    IReadOnlyList<string>? AddLabels = null,
    IReadOnlyList<string>? RemoveLabels = null,
    string? ErrorType = null,
    string? ErrorMessage = null,
    string? UpdateId = null);

/// <summary>
/// Builds the version-1 update message (a fresh update id, event time now) and checks it exactly
/// as the service will: the bytes that are sent are read back with <see cref="UpdateMessageReader"/>.
/// </summary>
public static class UpdateMessageFactory
{
    /// <summary>The default error type when only <c>--error-message</c> is given.</summary>
    public const string DefaultErrorType = "workflow-failed";

    public static (UpdateMessage? Message, byte[]? Body, FieldErrors Errors) Build(UpdateRequest request, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        JobStatus? status = null;
        if (request.Status is not null)
        {
            if (JobStatuses.TryParse(request.Status.Trim().ToLowerInvariant(), out var s))
            {
                status = s;
            }
            else
            {
                errors.Add("status", $"must be one of {string.Join(", ", JobStatuses.IndexValues)} (got '{request.Status}')");
            }
        }

        var outputs = ParseOutputs(request.Outputs, errors);
        var labels = request.AddLabels is { Count: > 0 } || request.RemoveLabels is { Count: > 0 }
            ? new LabelChanges(request.AddLabels?.Distinct(StringComparer.Ordinal).ToList(), request.RemoveLabels?.Distinct(StringComparer.Ordinal).ToList())
            : null;
        JobError? error = request.ErrorType is not null || request.ErrorMessage is not null
            ? new JobError(request.ErrorType ?? DefaultErrorType, request.ErrorMessage ?? "")
            : null;
        if (errors.Any)
        {
            return (null, null, errors);
        }

        var message = new UpdateMessage
        {
            Id = request.UpdateId ?? Guid.CreateVersion7(now).ToString("D"),
            JobId = request.JobId,
            Token = request.Token,
            Time = now,
            Status = status,
            Stage = request.Stage,
            Progress = request.Progress,
            Message = request.Message,
            Outputs = outputs,
            Labels = labels,
            Error = error,
        };

        var body = UpdateMessageWriter.ToUtf8(message);
        var check = UpdateMessageReader.Read(body);
        return check.IsValid ? (message, body, check.Errors) : (null, null, check.Errors);
    }

    /// <summary>
    /// <c>name=url</c> pairs. A name given more than once becomes a list of URLs; a value that is a
    /// JSON object or array is kept as that JSON, and one that starts like one but does not parse is
    /// refused (a worker's typo must not become an output silently).
    /// </summary>
    private static Dictionary<string, JsonElement>? ParseOutputs(IReadOnlyList<string>? pairs, FieldErrors errors)
    {
        if (pairs is not { Count: > 0 })
        {
            return null;
        }

        var values = new Dictionary<string, List<JsonElement>>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == pair.Length - 1)
            {
                errors.Add("outputs", $"'{pair}' must be name=value, for example output=s3://bucket/out/granule.nc");
                continue;
            }

            var name = pair[..equals].Trim();
            var value = pair[(equals + 1)..];
            if (!values.TryGetValue(name, out var list))
            {
                values[name] = list = [];
            }

            if (ToJson(value) is { } json)
            {
                list.Add(json);
            }
            else
            {
                errors.Add("outputs", $"'{name}={value}': the value starts like a JSON object or array but is not valid JSON; fix the JSON, or report a plain text value that does not start with {{ or [");
            }
        }

        return values.ToDictionary(
            kv => kv.Key,
            kv => kv.Value.Count == 1 ? kv.Value[0] : JsonSerializer.SerializeToElement(kv.Value),
            StringComparer.Ordinal);
    }

    /// <summary>The value as JSON: an object or array as given, anything else as a string; null when it starts like JSON but is not.</summary>
    private static JsonElement? ToJson(string value)
    {
        var trimmed = value.TrimStart();
        if (trimmed.StartsWith('{') || trimmed.StartsWith('['))
        {
            try
            {
                using var json = JsonDocument.Parse(value);
                return json.RootElement.Clone();
            }
            catch (JsonException)
            {
                return null;
            }
        }

        return JsonSerializer.SerializeToElement(value);
    }
}
