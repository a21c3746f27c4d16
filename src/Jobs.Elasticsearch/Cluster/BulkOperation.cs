using System.Buffers;
using System.Text.Json;

namespace Jobs.Elasticsearch.Cluster;

internal enum BulkAction
{
    /// <summary>Write the document, replacing any; with <c>if_seq_no</c>/<c>if_primary_term</c> only over that version.</summary>
    Index,

    /// <summary>Write the document only if the id is free (409 otherwise).</summary>
    Create,
}

/// <summary>One action of a <c>_bulk</c> request, its action line and source line.</summary>
internal sealed record BulkOperation(BulkAction Action, string Index, string Id, byte[] Source, long? IfSeqNo = null, long? IfPrimaryTerm = null)
{
    /// <summary>Appends the two NDJSON lines: <c>{"index":{"_index":…,"_id":…,"if_seq_no":…,"if_primary_term":…}}</c> and the source.</summary>
    public void WriteTo(ArrayBufferWriter<byte> output)
    {
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            writer.WriteStartObject(Action == BulkAction.Index ? "index" : "create");
            writer.WriteString("_index", Index);
            writer.WriteString("_id", Id);
            if (IfSeqNo is { } seqNo && IfPrimaryTerm is { } primaryTerm)
            {
                writer.WriteNumber("if_seq_no", seqNo);
                writer.WriteNumber("if_primary_term", primaryTerm);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        output.Write("\n"u8);
        output.Write(Source);
        output.Write("\n"u8);
    }

    /// <summary>Bytes this operation adds to a bulk body (close enough for splitting).</summary>
    public int ApproximateSize => Source.Length + Index.Length + Id.Length + 96;
}
