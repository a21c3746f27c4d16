using System.Globalization;
using Jobs.Embedded.Indexing;

namespace Jobs.Embedded.Search.Dsl;

/// <summary>A field a full-text query searches, with its boost (<c>message^2</c>).</summary>
internal sealed record WeightedField(string Name, float Boost);

/// <summary>
/// Expands the <c>fields</c> of full-text queries as Elasticsearch does: <c>name^boost</c>,
/// <c>*</c> patterns over the mapped fields (sub-fields such as <c>message.keyword</c> included,
/// flattened keys not), exact names (a flattened key path, <c>_id</c>) as they are. <c>*</c> alone
/// (the default <c>index.query.default_field</c>) is every searchable field. A field named twice
/// multiplies its boosts; unmapped names drop out.
/// </summary>
internal static class FieldResolver
{
    public static IReadOnlyList<WeightedField> Resolve(FieldCatalog catalog, IEnumerable<string> specs)
    {
        var result = new List<WeightedField>();
        foreach (var spec in specs)
        {
            var (pattern, boost) = Split(spec);
            IEnumerable<string> names = pattern.Contains('*', StringComparison.Ordinal)
                ? catalog.All.Select(f => f.Name).Where(n => Glob(pattern, n))
                : pattern == FieldCatalog.IdField || catalog.Resolve(pattern, out _) is not null ? [pattern] : [];
            foreach (var name in names)
            {
                var index = result.FindIndex(f => f.Name == name);
                if (index >= 0)
                {
                    result[index] = result[index] with { Boost = result[index].Boost * boost };
                }
                else
                {
                    result.Add(new WeightedField(name, boost));
                }
            }
        }

        return result;
    }

    public static bool IsAll(IReadOnlyList<string> specs) => specs.Count == 0 || specs.Any(s => Split(s).Pattern == "*");

    private static (string Pattern, float Boost) Split(string spec)
    {
        var caret = spec.IndexOf('^', StringComparison.Ordinal);
        return caret < 0
            ? (spec, 1f)
            : (spec[..caret], float.TryParse(spec[(caret + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var b)
                ? b
                : throw Jobs.Core.Search.SearchException.Parsing($"invalid boost in field [{spec}]"));
    }

    /// <summary>Elasticsearch's simple match: <c>*</c> stands for any characters.</summary>
    private static bool Glob(string pattern, string text)
    {
        var parts = pattern.Split('*');
        if (!text.StartsWith(parts[0], StringComparison.Ordinal))
        {
            return false;
        }

        var at = parts[0].Length;
        for (var i = 1; i < parts.Length - 1; i++)
        {
            var found = text.IndexOf(parts[i], at, StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }

            at = found + parts[i].Length;
        }

        return text.Length - at >= parts[^1].Length && text.EndsWith(parts[^1], StringComparison.Ordinal);
    }
}
