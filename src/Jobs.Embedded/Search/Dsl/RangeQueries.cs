using System.Text.Json.Nodes;
using Jobs.Core.Search;
using Jobs.Embedded.Indexing;
using Lucene.Net.Search;

namespace Jobs.Embedded.Search.Dsl;

/// <summary>
/// <c>range</c> on one field as its type compares: integers and doubles numerically (integer
/// bounds rounded inwards), dates after date math and rounding (<c>gt</c>/<c>lte</c> round up),
/// keywords, text tokens and flattened values as strings in byte order. A flattened key needs
/// both bounds, as in Elasticsearch (an open end would run into the next key's values).
/// </summary>
internal sealed class RangeQueries(FieldCatalog catalog, long nowMillis)
{
    public Query Build(RangeNode node)
    {
        var field = catalog.Resolve(node.Field, out var key);
        if (field is null)
        {
            return FieldQueries.MatchNone();
        }

        if (key is not null && (node.Lower is null || node.Upper is null))
        {
            throw QueryErrors.KeyedRangeNeedsBounds();
        }

        switch (field.Kind)
        {
            case FieldKind.Integer:
                {
                    var lower = node.Lower is null ? long.MinValue : IntegerBound(node, node.Lower, isLower: true);
                    var upper = node.Upper is null ? long.MaxValue : IntegerBound(node, node.Upper, isLower: false);
                    return lower > upper ? FieldQueries.MatchNone() : NumericTrie.Int64Range(field.Name, lower, upper, true, true);
                }

            case FieldKind.Double:
                return NumericTrie.DoubleRange(
                    field.Name,
                    node.Lower is null ? null : Number(node, node.Lower.Value),
                    node.Upper is null ? null : Number(node, node.Upper.Value),
                    node.Lower?.Inclusive ?? true,
                    node.Upper?.Inclusive ?? true);
            case FieldKind.Date:
                {
                    var zone = EsDates.ParseZone(node.TimeZone);
                    var lower = long.MinValue;
                    var upper = long.MaxValue;
                    if (node.Lower is { } lo)
                    {
                        // gt rounds up (past the whole rounded unit), gte rounds down.
                        lower = DateMath.Parse(JsonScalars.Text(lo.Value), node.Format, roundUp: !lo.Inclusive, zone, nowMillis);
                        if (!lo.Inclusive)
                        {
                            lower = lower == long.MaxValue ? lower : lower + 1;
                        }
                    }

                    if (node.Upper is { } hi)
                    {
                        // lte rounds up (to the unit's last millisecond), lt rounds down.
                        upper = DateMath.Parse(JsonScalars.Text(hi.Value), node.Format, roundUp: hi.Inclusive, zone, nowMillis);
                        if (!hi.Inclusive)
                        {
                            upper = upper == long.MinValue ? upper : upper - 1;
                        }
                    }

                    return lower > upper ? FieldQueries.MatchNone() : NumericTrie.Int64Range(field.Name, lower, upper, true, true);
                }

            default:
                {
                    // keyword, text, boolean and flattened compare terms as strings (byte order), as Elasticsearch does.
                    var name = key is null ? field.Name : field.KeyedName;
                    var prefix = key is null ? "" : key + "\0";
                    var lower = node.Lower is null ? (key is null ? null : prefix) : prefix + JsonScalars.Text(node.Lower.Value);
                    var upper = node.Upper is null ? (key is null ? null : key + "\u0001") : prefix + JsonScalars.Text(node.Upper.Value);
                    var includeLower = node.Lower?.Inclusive ?? true;
                    var includeUpper = node.Upper is null ? key is null : node.Upper.Inclusive;
                    return TermRangeQuery.NewStringRange(name, lower, upper, includeLower, includeUpper);
                }
        }
    }

    private static double Number(RangeNode node, JsonValue value) =>
        JsonScalars.TryNumber(value, out var number)
            ? number
            : throw NumberFormat(node, value);

    /// <summary>Inclusive integer bound: <c>gte 4.5</c> is 5, <c>gt 4.5</c> is 5, <c>lte 4.5</c> is 4, <c>lt 4.5</c> is 4.</summary>
    private static long IntegerBound(RangeNode node, RangeBound bound, bool isLower)
    {
        var value = Number(node, bound.Value);
        double result;
        if (isLower)
        {
            result = bound.Inclusive ? Math.Ceiling(value) : Math.Floor(value) + 1;
        }
        else
        {
            result = bound.Inclusive ? Math.Floor(value) : Math.Ceiling(value) - 1;
        }

        return result <= long.MinValue ? long.MinValue : result >= long.MaxValue ? long.MaxValue : (long)result;
    }

    private static SearchException NumberFormat(RangeNode node, JsonValue value) =>
        QueryErrors.NotANumber(JsonScalars.Text(value), node.Field);
}
