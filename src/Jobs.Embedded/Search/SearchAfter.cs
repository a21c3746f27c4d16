using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Core.Search;
using Jobs.Embedded.Search.Dsl;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Jobs.Embedded.Search;

/// <summary>
/// Reads a request's <c>search_after</c> values (the last hit's <c>sort</c>) into the position
/// Lucene's comparators continue after: keywords as bytes, dates as epoch milliseconds (or a
/// date), numbers as J2N's boxed numbers.
/// </summary>
internal static class SearchAfter
{
    /// <summary>The <c>search_after</c> values as the Lucene comparators expect them.</summary>
    public static FieldDoc ToFieldDoc(SortPlan plan, JsonNode? node)
    {
        if (node is not JsonArray values)
        {
            throw SearchException.Parsing("[search_after] must be an array");
        }

        if (!plan.IsExplicit)
        {
            throw SearchException.IllegalArgument("[search_after] requires a [sort]: Sort must contain at least one field.");
        }

        var requested = plan.HasImplicitTiebreak ? plan.Kinds.Count - 1 : plan.Kinds.Count;
        if (values.Count != plan.Kinds.Count && values.Count != requested)
        {
            throw SearchException.IllegalArgument($"search_after has {values.Count} value(s) but sort has {requested}.");
        }

        // Without the tiebreaker's value: past every id, so ties with the last hit are skipped.
        var fields = new object?[plan.Kinds.Count];
        for (var i = 0; i < values.Count; i++)
        {
            fields[i] = AfterValue(plan.Kinds[i], values[i]);
        }

        // Doc id past every document: ties with the last hit's values are not repeated.
        return new FieldDoc(int.MaxValue, float.NaN, fields!);
    }

    private static object? AfterValue(SortKind kind, JsonNode? node)
    {
        if (node is null)
        {
            return kind == SortKind.Keyword ? null : throw SearchException.IllegalArgument("search_after values cannot be null for a numeric sort");
        }

        var value = node as JsonValue ?? throw SearchException.IllegalArgument("search_after values must be scalars");
        double number;
        switch (kind)
        {
            case SortKind.Keyword:
                return new BytesRef(JsonScalars.Text(value));
            case SortKind.Score:
                return JsonScalars.TryNumber(value, out number) ? J2N.Numerics.Single.GetInstance((float)number) : throw Bad(value);
            case SortKind.Doc:
                return JsonScalars.TryNumber(value, out number) ? J2N.Numerics.Int32.GetInstance((int)number) : throw Bad(value);
            case SortKind.Double:
                return JsonScalars.TryNumber(value, out number) ? J2N.Numerics.Double.GetInstance(number) : throw Bad(value);
            default:
                // Lucene.Net's comparators take J2N's boxed numbers.
                if (value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<long>(out var whole))
                {
                    return J2N.Numerics.Int64.GetInstance(whole);
                }

                var text = JsonScalars.Text(value);
                if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out whole))
                {
                    return J2N.Numerics.Int64.GetInstance(whole);
                }

                if (kind == SortKind.Date && EsDates.TryParse(text, null, false, TimeZoneInfo.Utc, out whole))
                {
                    return J2N.Numerics.Int64.GetInstance(whole);
                }

                throw Bad(value);
        }
    }

    private static SearchException Bad(JsonValue value) =>
        SearchException.IllegalArgument($"Failed to parse search_after value [{value.ToJsonString()}]");
}
