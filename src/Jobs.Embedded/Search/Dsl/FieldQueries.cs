using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Jobs.Embedded.Indexing;
using Jobs.Search.Limits;
using Lucene.Net.Index;
using Lucene.Net.Queries;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Jobs.Embedded.Search.Dsl;

/// <summary>
/// Term-level queries on one field, as Elasticsearch's field types build them: keyword terms
/// (scored with BM25 like any term), numbers and dates as constant-score ranges, flattened keys
/// as <c>key\0value</c> terms of the root's keyed field, <c>_id</c> as a constant-score id set.
/// Multi-term queries (prefix, wildcard, ranges, terms) score a constant 1 × boost, as
/// Elasticsearch's default rewrite does. An unmapped field matches nothing.
/// </summary>
internal sealed class FieldQueries(FieldCatalog catalog, long nowMillis, SearchLimits limits)
{
    public FieldCatalog Catalog => catalog;

    public static Query MatchNone() => new BooleanQuery();

    public Query Term(string name, JsonValue value, bool caseInsensitive = false)
    {
        var text = JsonScalars.Text(value);
        if (name == FieldCatalog.IdField)
        {
            return new ConstantScoreQuery(new TermQuery(new Term(FieldCatalog.IdField, text)));
        }

        var field = catalog.Resolve(name, out var key);
        if (field is null)
        {
            return MatchNone();
        }

        if (field.IsNumeric)
        {
            return Range(new RangeNode(name, new RangeBound(value, true), new RangeBound(value, true), null, null));
        }

        return caseInsensitive
            ? CaseInsensitive(field, key, Literal(text), "")
            : new TermQuery(KeywordTerm(field, key, text));
    }

    public Query Terms(string name, IReadOnlyList<JsonValue> values)
    {
        if (values.Count > limits.MaxTermsCount)
        {
            throw Jobs.Core.Search.SearchException.IllegalArgument(
                $"The number of terms [{values.Count}] used in the Terms Query request has exceeded the allowed maximum of [{limits.MaxTermsCount}]. "
                + $"This maximum can be set by changing the [{SearchLimits.SectionName}:{nameof(SearchLimits.MaxTermsCount)}] setting.");
        }

        if (values.Count == 0)
        {
            return MatchNone();
        }

        if (name == FieldCatalog.IdField)
        {
            return new ConstantScoreQuery(new TermsFilter(FieldCatalog.IdField, [.. values.Select(v => new BytesRef(JsonScalars.Text(v)))]));
        }

        var field = catalog.Resolve(name, out var key);
        if (field is null)
        {
            return MatchNone();
        }

        if (field.IsNumeric)
        {
            var any = new BooleanFilter();
            foreach (var value in values)
            {
                any.Add(new QueryWrapperFilter(Range(new RangeNode(name, new RangeBound(value, true), new RangeBound(value, true), null, null))), Occur.SHOULD);
            }

            return new ConstantScoreQuery(any);
        }

        return new ConstantScoreQuery(new TermsFilter([.. values.Select(v => KeywordTerm(field, key, JsonScalars.Text(v)))]));
    }

    public Query Prefix(string name, string value, bool caseInsensitive)
    {
        PatternLimits.CheckLength(value, "prefix", limits);
        if (name == FieldCatalog.IdField)
        {
            return new PrefixQuery(new Term(FieldCatalog.IdField, value));
        }

        var field = catalog.Resolve(name, out var key);
        if (field is null)
        {
            return MatchNone();
        }

        if (field.IsNumeric)
        {
            throw QueryErrors.PatternOnType("prefix", field);
        }

        return caseInsensitive
            ? CaseInsensitive(field, key, Literal(value), ".*")
            : new PrefixQuery(KeywordTerm(field, key, value));
    }

    public Query Wildcard(string name, string pattern, bool caseInsensitive)
    {
        PatternLimits.CheckWildcard(pattern, caseInsensitive, limits);
        if (name == FieldCatalog.IdField)
        {
            return new WildcardQuery(new Term(FieldCatalog.IdField, pattern));
        }

        var field = catalog.Resolve(name, out var key);
        if (field is null)
        {
            return MatchNone();
        }

        if (key is not null)
        {
            throw QueryErrors.KeyedUnsupported("wildcard");
        }

        if (field.IsNumeric)
        {
            throw QueryErrors.PatternOnType("wildcard", field);
        }

        return caseInsensitive
            ? CaseInsensitive(field, null, WildcardToRegExp(pattern), "")
            : new WildcardQuery(new Term(field.Name, pattern));
    }

    public Query Exists(string name)
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

    public Query Range(RangeNode node) => new RangeQueries(catalog, nowMillis).Build(node);

    /// <summary>A keyword-like term: the field itself, or for a flattened key the root's keyed field (<c>key\0value</c>).</summary>
    public static Term KeywordTerm(MappedField field, string? key, string text) =>
        key is null ? new Term(field.Name, text) : new Term(field.KeyedName, key + "\0" + text);

    /// <summary>A constant-score regular expression over the field's terms, letters matching either case.</summary>
    private static Query CaseInsensitive(MappedField field, string? key, string expression, string suffix)
    {
        var regex = (key is null ? "" : Literal(key + "\0")) + expression + suffix;
        return new RegexpQuery(new Term(key is null ? field.Name : field.KeyedName, regex));
    }

    /// <summary>Text as a Lucene regular expression matching it exactly, each letter in either case.</summary>
    private static string Literal(string text)
    {
        var builder = new StringBuilder();
        foreach (var c in text)
        {
            AppendChar(builder, c);
        }

        return builder.ToString();
    }

    private static string WildcardToRegExp(string pattern)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*': builder.Append(".*"); break;
                case '?': builder.Append('.'); break;
                case '\\' when i + 1 < pattern.Length: AppendChar(builder, pattern[++i]); break;
                default: AppendChar(builder, c); break;
            }
        }

        return builder.ToString();
    }

    private static void AppendChar(StringBuilder builder, char c)
    {
        var lower = char.ToLowerInvariant(c);
        var upper = char.ToUpperInvariant(c);
        if (lower != upper)
        {
            builder.Append('[').Append(lower).Append(upper).Append(']');
        }
        else if (char.IsAsciiLetterOrDigit(c))
        {
            builder.Append(c);
        }
        else
        {
            builder.Append('\\').Append(c);
        }
    }
}
