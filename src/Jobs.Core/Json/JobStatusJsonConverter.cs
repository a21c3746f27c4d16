using System.Text.Json;
using System.Text.Json.Serialization;
using Jobs.Core.Jobs;

namespace Jobs.Core.Json;

/// <summary>Writes a <see cref="JobStatus"/> as its index value; reads index or OGC values.</summary>
public sealed class JobStatusJsonConverter : JsonConverter<JobStatus>
{
    public override JobStatus Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return JobStatuses.TryParse(text, out var status)
            ? status
            : throw new JsonException($"Unknown job status; expected one of {string.Join(", ", JobStatuses.IndexValues)}.");
    }

    public override void Write(Utf8JsonWriter writer, JobStatus value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToIndexValue());
}
