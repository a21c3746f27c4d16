using System.Text.Json.Nodes;
using Jobs.Core.Search;
using Jobs.Embedded.Indexing;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Index;
using Lucene.Net.Search;

namespace Jobs.Embedded.Search.Dsl;

/// <summary>
/// Analysed queries on one field, as Elasticsearch's <c>match</c> family builds them: a text
/// field's input goes through the field's analyser (standard tokenizer, lower case) and becomes a
/// term, a boolean of terms (operator, minimum_should_match) or a phrase; every other field type
/// takes the whole input as one value (keyword analyser). Returns null when the analysis leaves
/// no token (the caller applies <c>zero_terms_query</c>). In lenient mode a value the field
/// cannot take (text for a number) matches nothing instead of failing.
/// </summary>
internal sealed class TextQueries(FieldQueries fields)
{
    private static readonly Analyzer Analyzer = JobIndex.NewAnalyzer();

    public FieldQueries Fields => fields;

    public Query? Match(string name, string text, bool and, string? minimumShouldMatch, bool lenient) =>
        Guard(lenient, () =>
        {
            if (TextField(name) is not { } field)
            {
                return fields.Term(name, JsonValue.Create(text));
            }

            var tokens = Analyze(field.Name, text);
            if (tokens.Count == 0)
            {
                return null;
            }

            if (tokens.Count == 1)
            {
                return new TermQuery(new Term(field.Name, tokens[0].Text));
            }

            var query = new BooleanQuery();
            foreach (var token in tokens)
            {
                query.Add(new TermQuery(new Term(field.Name, token.Text)), and ? Occur.MUST : Occur.SHOULD);
            }

            return BoolQueries.ApplyMinimumShouldMatch(query, minimumShouldMatch);
        });

    public Query? Phrase(string name, string text, int slop, bool lenient) =>
        Guard(lenient, () =>
        {
            if (TextField(name) is not { } field)
            {
                return fields.Term(name, JsonValue.Create(text));
            }

            var tokens = Analyze(field.Name, text);
            switch (tokens.Count)
            {
                case 0:
                    return null;
                case 1:
                    return new TermQuery(new Term(field.Name, tokens[0].Text));
            }

            var phrase = new PhraseQuery { Slop = slop };
            foreach (var token in tokens)
            {
                phrase.Add(new Term(field.Name, token.Text), token.Position);
            }

            return phrase;
        });

    /// <summary>What <c>query_string</c> does to a prefix or wildcard before matching a field's terms: lower-cases it for text fields.</summary>
    public string Normalize(string name, string text) => TextField(name) is null ? text : text.ToLowerInvariant();

    /// <summary>Runs a per-field build; in lenient mode a value the field cannot take matches nothing.</summary>
    public static Query? Guard(bool lenient, Func<Query?> build)
    {
        try
        {
            return build();
        }
        catch (SearchException e) when (lenient && !Jobs.Search.Limits.PatternLimits.IsLimit(e))
        {
            return FieldQueries.MatchNone();
        }
    }

    private MappedField? TextField(string name) =>
        name != FieldCatalog.IdField && fields.Catalog.Resolve(name, out var key) is { Kind: FieldKind.Text } field && key is null ? field : null;

    private static List<(string Text, int Position)> Analyze(string field, string text)
    {
        var tokens = new List<(string, int)>();
        using var stream = Analyzer.GetTokenStream(field, new StringReader(text));
        var term = stream.AddAttribute<ICharTermAttribute>();
        var increment = stream.AddAttribute<IPositionIncrementAttribute>();
        stream.Reset();
        var position = -1;
        while (stream.IncrementToken())
        {
            position += increment.PositionIncrement;
            tokens.Add((term.ToString(), position));
        }

        stream.End();
        return tokens;
    }
}
