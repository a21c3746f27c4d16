using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Jobs.Core.Search;
using Jobs.Embedded.Indexing;
using Lucene.Net.Index;
using Lucene.Net.Queries;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Jobs.Embedded.Search.Dsl;

/// <summary>
/// Translates <see cref="QueryNode"/>s into Lucene queries over the index that
/// <see cref="JobDocumentBuilder"/> writes, field by field as the mapping types them. Like
/// Elasticsearch, a query on an unmapped field matches nothing.
/// </summary>
internal sealed class LuceneQueryFactory(FieldCatalog catalog, long nowMillis)
{
    public Query Build(QueryNode node)
    {
        var query = node switch
        {
            MatchAllNode => new MatchAllDocsQuery(),
            MatchNoneNode => MatchNone(),
            TermNode term => Term(term),
            TermsNode terms => Terms(terms),
            IdsNode ids => ids.Ids.Count == 0 ? MatchNone() : ConstantScore(new TermsFilter(FieldCatalog.IdField, ids.Ids.Select(i => new BytesRef(i)).ToArray())),
            ExistsNode exists => Exists(exists.Field),
            RangeNode range => Range(range),
            BoolNode b => Bool(b),
            _ => throw SearchException.Unsupported(node.GetType().Name),
        };

        if (node.Boost is { } boost)
        {
            query.Boost = boost;
        }

        return query;
    }

    private static BooleanQuery MatchNone() => new();

    private static Query ConstantScore(Filter filter) => new ConstantScoreQuery(filter);

    private Query Term(TermNode node)
    {
        if (node.Field == FieldCatalog.IdField)
        {
            return new TermQuery(new Term(FieldCatalog.IdField, JsonScalars.Text(node.Value)));
        }

        var field = catalog.Resolve(node.Field, out var key);
        if (field is null)
        {
            return MatchNone();
        }

        return field.Kind switch
        {
            FieldKind.Integer or FieldKind.Double or FieldKind.Date => Range(new RangeNode(node.Field, new RangeBound(node.Value, true), new RangeBound(node.Value, true), null, null)),
            _ => new TermQuery(KeywordTerm(field, key, JsonScalars.Text(node.Value))),
        };
    }

    private Query Terms(TermsNode node)
    {
        if (node.Values.Count == 0)
        {
            return MatchNone();
        }

        if (node.Field == FieldCatalog.IdField)
        {
            return ConstantScore(new TermsFilter(FieldCatalog.IdField, node.Values.Select(v => new BytesRef(JsonScalars.Text(v))).ToArray()));
        }

        var field = catalog.Resolve(node.Field, out var key);
        if (field is null)
        {
            return MatchNone();
        }

        if (field.IsNumeric)
        {
            var any = new BooleanQuery();
            foreach (var value in node.Values)
            {
                any.Add(Range(new RangeNode(node.Field, new RangeBound(value, true), new RangeBound(value, true), null, null)), Occur.SHOULD);
            }

            return new ConstantScoreQuery(any);
        }

        var terms = node.Values.Select(v => KeywordTerm(field, key, JsonScalars.Text(v))).ToList();
        return ConstantScore(new TermsFilter(terms));
    }

    /// <summary>A keyword-like term: the field itself, or for a flattened key the root's keyed field (<c>key\0value</c>).</summary>
    private static Term KeywordTerm(MappedField field, string? key, string text) =>
        key is null ? new Term(field.Name, text) : new Term(field.KeyedName, key + "\0" + text);

    private Query Exists(string name)
    {
        if (name == FieldCatalog.IdField)
        {
            return new MatchAllDocsQuery();
        }

        if (name.Contains('*', StringComparison.Ordinal))
        {
            var pattern = new Regex("^" + Regex.Escape(name).Replace("\\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant);
            var names = catalog.All.Select(f => f.Name).Concat(catalog.ObjectPaths).Where(n => pattern.IsMatch(n)).ToList();
            if (names.Count == 0)
            {
                return MatchNone();
            }

            var any = new BooleanQuery();
            foreach (var n in names)
            {
                any.Add(new TermQuery(new Term(FieldCatalog.FieldNamesField, n)), Occur.SHOULD);
            }

            return new ConstantScoreQuery(any);
        }

        if (catalog.Resolve(name, out _) is null && !catalog.IsObject(name))
        {
            return MatchNone();
        }

        return new ConstantScoreQuery(new TermQuery(new Term(FieldCatalog.FieldNamesField, name)));
    }

    private Query Range(RangeNode node)
    {
        var field = catalog.Resolve(node.Field, out var key);
        if (field is null)
        {
            return MatchNone();
        }

        switch (field.Kind)
        {
            case FieldKind.Integer:
            {
                var lower = node.Lower is null ? long.MinValue : IntegerBound(node, node.Lower, isLower: true);
                var upper = node.Upper is null ? long.MaxValue : IntegerBound(node, node.Upper, isLower: false);
                return lower > upper ? MatchNone() : NumericRangeQuery.NewInt64Range(field.Name, lower, upper, true, true);
            }

            case FieldKind.Double:
                return NumericRangeQuery.NewDoubleRange(
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

                return lower > upper ? MatchNone() : NumericRangeQuery.NewInt64Range(field.Name, lower, upper, true, true);
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
        new("query_shard_exception", $"failed to create query: For input string: \"{JsonScalars.Text(value)}\" (field [{node.Field}])");

    private Query Bool(BoolNode node)
    {
        var query = new BooleanQuery();
        foreach (var clause in node.Must)
        {
            query.Add(Build(clause), Occur.MUST);
        }

        foreach (var clause in node.Filter)
        {
            // Filter context: must match, adds nothing to the score.
            query.Add(new ConstantScoreQuery(Build(clause)) { Boost = 0 }, Occur.MUST);
        }

        foreach (var clause in node.Should)
        {
            query.Add(Build(clause), Occur.SHOULD);
        }

        foreach (var clause in node.MustNot)
        {
            query.Add(Build(clause), Occur.MUST_NOT);
        }

        if (node.Must.Count == 0 && node.Filter.Count == 0 && node.Should.Count == 0)
        {
            // Only must_not (or nothing): everything else matches.
            query.Add(new MatchAllDocsQuery(), Occur.MUST);
        }

        if (node.MinimumShouldMatch is { } text && node.Should.Count > 0)
        {
            query.MinimumNumberShouldMatch = MinimumShouldMatch(text, node.Should.Count);
        }

        return query;
    }

    /// <summary>An integer (<c>2</c>, <c>-1</c>) or a percentage (<c>75%</c>, <c>-25%</c>) of the optional clauses.</summary>
    private static int MinimumShouldMatch(string text, int optional)
    {
        text = text.Trim();
        int result;
        if (text.EndsWith('%'))
        {
            if (!int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var percent))
            {
                throw SearchException.Unsupported($"minimum_should_match [{text}]");
            }

            var calculated = (int)(optional * Math.Abs(percent) / 100.0);
            result = percent < 0 ? optional - calculated : calculated;
        }
        else if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var count))
        {
            result = count < 0 ? optional + count : count;
        }
        else
        {
            throw SearchException.Unsupported($"minimum_should_match [{text}]");
        }

        return Math.Clamp(result, 0, optional);
    }
}
