using System.Globalization;
using System.Text;
using System.Text.Json;
using Jobs.Embedded.Search;
using Lucene.Net.Documents;
using Lucene.Net.Util;

namespace Jobs.Embedded.Indexing;

/// <summary>
/// Turns a job's JSON (the <c>_source</c>) into a Lucene document, driven by the mapping:
/// keyword -> exact term + sorted-set doc values; text -> analysed terms; integer, double and date
/// -> numeric terms + numeric doc values; flattened -> every leaf value as a keyword under the root
/// and as <c>key\0value</c> under the root's keyed field. Fields the mapping does not index
/// (<c>request</c>, <c>events</c>, <c>token-sha256</c>) are only kept in <c>_source</c>.
/// Not thread-safe: one builder per writer, and a document must be indexed before the next is built (its fields are reused).
/// </summary>
internal sealed class JobDocumentBuilder(FieldCatalog catalog)
{
    /// <summary>Longer values of a flattened leaf are kept in <c>_source</c> but not indexed (Lucene's term limit).</summary>
    public const int MaxTermChars = 8191;

    private readonly HashSet<string> _present = new(StringComparer.Ordinal);
    private readonly FieldPool _fields = new();
    private readonly FieldNamesStream _names = new();
    private readonly Document _document = [];

    public Document Build(string id, byte[] json)
    {
        _fields.Reset();
        var doc = _document;
        doc.Fields.Clear();
        doc.Add(_fields.StoredString(FieldCatalog.IdField, id));
        doc.Add(new StoredField(FieldCatalog.SourceField, json));
        _present.Clear();
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = Core.Json.JobsJson.MaxDepth });
        reader.Read();
        WalkObject(ref reader, "", doc);
        if (_present.Count > 0)
        {
            _names.Set(_present);
            doc.Add(_names.Field);
        }

        return doc;
    }

    private void WalkObject(ref Utf8JsonReader reader, string prefix, Document doc)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var path = prefix + reader.GetString();
            reader.Read();
            if (catalog.Get(path) is { } field)
            {
                if (field.Kind == FieldKind.Flattened)
                {
                    IndexFlattened(ref reader, field, "", doc);
                }
                else
                {
                    IndexValues(ref reader, field, doc);
                }
            }
            else if (reader.TokenType == JsonTokenType.StartObject && catalog.IsObject(path))
            {
                WalkObject(ref reader, path + ".", doc);
                MarkPresent(path);
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private void IndexValues(ref Utf8JsonReader reader, MappedField field, Document doc)
    {
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                IndexValues(ref reader, field, doc);
            }

            return;
        }

        if (reader.TokenType is JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        if (LeafText(ref reader) is not { } text)
        {
            return;
        }

        IndexLeaf(field, text, doc);
        foreach (var sub in field.SubFields)
        {
            IndexLeaf(sub, text, doc);
        }
    }

    private void IndexLeaf(MappedField field, string text, Document doc)
    {
        switch (field.Kind)
        {
            case FieldKind.Keyword or FieldKind.Boolean:
                if (field.IgnoreAbove is { } max && text.Length > max || text.Length > MaxTermChars)
                {
                    return;
                }

                doc.Add(_fields.String(field.Name, text));
                doc.Add(new SortedSetDocValuesField(field.Name, new BytesRef(text)));
                break;
            case FieldKind.Text:
                doc.Add(new TextField(field.Name, text, Field.Store.NO));
                break;
            case FieldKind.Integer:
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                {
                    return;
                }

                var whole = (long)Math.Clamp(Math.Truncate(number), int.MinValue, int.MaxValue);
                doc.Add(_fields.Int64(field.Name, whole));
                AddNumericDocValues(field.Name, whole, doc);
                break;
            case FieldKind.Double:
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
                {
                    return;
                }

                doc.Add(_fields.Double(field.Name, d));
                if (!_present.Contains(field.Name))
                {
                    doc.Add(new DoubleDocValuesField(field.Name, d));
                }

                break;
            case FieldKind.Date:
                if (!EsDates.TryParse(text, null, roundUp: false, TimeZoneInfo.Utc, out var millis))
                {
                    return;
                }

                doc.Add(_fields.Int64(field.Name, millis));
                AddNumericDocValues(field.Name, millis, doc);
                break;
        }

        MarkPresent(field.Name);
    }

    /// <summary>Numeric doc values hold one value per document: the first one (arrays of numbers do not occur in jobs).</summary>
    private void AddNumericDocValues(string name, long value, Document doc)
    {
        if (!_present.Contains(name))
        {
            doc.Add(new NumericDocValuesField(name, value));
        }
    }

    private void IndexFlattened(ref Utf8JsonReader reader, MappedField field, string key, Document doc)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var child = reader.GetString()!;
                    reader.Read();
                    IndexFlattened(ref reader, field, key.Length == 0 ? child : key + "." + child, doc);
                }

                return;
            case JsonTokenType.StartArray:
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    IndexFlattened(ref reader, field, key, doc);
                }

                return;
        }

        if (LeafText(ref reader) is not { } text || text.Length > MaxTermChars || key.Length == 0)
        {
            return;
        }

        var keyed = key + "\0" + text;
        doc.Add(_fields.String(field.Name, text));
        doc.Add(new SortedSetDocValuesField(field.Name, new BytesRef(text)));
        doc.Add(_fields.String(field.KeyedName, keyed));
        doc.Add(new SortedSetDocValuesField(field.KeyedName, new BytesRef(keyed)));
        MarkPresent(field.Name);
        MarkPresent(field.Name + "." + key);
    }

    private void MarkPresent(string name) => _present.Add(name);

    /// <summary>A leaf as Elasticsearch's keyword fields see it: strings as they are, numbers and booleans as their JSON text.</summary>
    private static string? LeafText(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => Encoding.UTF8.GetString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan),
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        _ => null,
    };
}
