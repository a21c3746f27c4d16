using Lucene.Net.Search;

namespace Jobs.Embedded.Search.Dsl;

/// <summary>
/// One piece of query text over several fields, as Elasticsearch's multi-field parser combines
/// them: a query per field (boosted by the field's weight), then the best field's score plus
/// <c>tie_breaker</c> × the others' (<c>dis_max</c>; a tie breaker of 1 sums them). Fields whose
/// analysis leaves nothing drop out; null when every field does.
/// </summary>
internal sealed class MultiFieldQueries(TextQueries text)
{
    public TextQueries Text => text;

    public Query? Combine(IReadOnlyList<WeightedField> fields, float tieBreaker, Func<string, Query?> perField)
    {
        var queries = new List<Query>(fields.Count);
        foreach (var field in fields)
        {
            if (perField(field.Name) is not { } query)
            {
                continue;
            }

            if (field.Boost != 1f)
            {
                query.Boost *= field.Boost;
            }

            queries.Add(query);
        }

        switch (queries.Count)
        {
            case 0:
                return null;
            case 1:
                return queries[0];
        }

        var max = new DisjunctionMaxQuery(tieBreaker);
        foreach (var query in queries)
        {
            max.Add(query);
        }

        return max;
    }

    public Query? Match(IReadOnlyList<WeightedField> fields, float tieBreaker, string value, bool and, string? minimumShouldMatch, bool lenient) =>
        Combine(fields, tieBreaker, name => text.Match(name, value, and, minimumShouldMatch, lenient));

    public Query? Phrase(IReadOnlyList<WeightedField> fields, float tieBreaker, string value, int slop, bool lenient) =>
        Combine(fields, tieBreaker, name => text.Phrase(name, value, slop, lenient));

    public Query? Prefix(IReadOnlyList<WeightedField> fields, float tieBreaker, string value, bool lenient) =>
        Combine(fields, tieBreaker, name => TextQueries.Guard(lenient, () => text.Fields.Prefix(name, text.Normalize(name, value), false)));

    public Query? Wildcard(IReadOnlyList<WeightedField> fields, float tieBreaker, string pattern, bool lenient) =>
        Combine(fields, tieBreaker, name => TextQueries.Guard(lenient, () => pattern == "*"
            ? text.Fields.Exists(name)
            : text.Fields.Wildcard(name, text.Normalize(name, pattern), false)));

    public Query? Range(IReadOnlyList<WeightedField> fields, float tieBreaker, RangeNode range, bool lenient) =>
        Combine(fields, tieBreaker, name => TextQueries.Guard(lenient, () =>
        {
            var lower = range.Lower is null ? null : range.Lower with { Value = System.Text.Json.Nodes.JsonValue.Create(text.Normalize(name, JsonScalars.Text(range.Lower.Value))) };
            var upper = range.Upper is null ? null : range.Upper with { Value = System.Text.Json.Nodes.JsonValue.Create(text.Normalize(name, JsonScalars.Text(range.Upper.Value))) };
            return text.Fields.Range(range with { Field = name, Lower = lower, Upper = upper });
        }));
}
