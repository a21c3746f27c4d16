using System.Text.Json.Serialization;

namespace Jobs.UpdatesFunction.Lambda;

/// <summary>Lambda's partial batch response: only the listed messages return to the queue.</summary>
public sealed record BatchResponse(
    [property: JsonPropertyName("batchItemFailures")] IReadOnlyList<BatchItemFailure> BatchItemFailures)
{
    public static BatchResponse For(IEnumerable<string> failedMessageIds) =>
        new(failedMessageIds.Select(id => new BatchItemFailure(id)).ToList());
}

public sealed record BatchItemFailure([property: JsonPropertyName("itemIdentifier")] string ItemIdentifier);
