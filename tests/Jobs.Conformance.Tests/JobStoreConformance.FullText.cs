using static Jobs.Conformance.Tests.TestData;

namespace Jobs.Conformance.Tests;

/// <summary>
/// Full-text queries and relevance on the text corpus of <see cref="TestData.LoadTextCorpusAsync"/>:
/// expected ids in relevance order, as BM25 (k1 1.2, b 0.75) on one shard ranks them. Each case
/// names the section of the Elasticsearch reference it follows; the orders were worked out from
/// the BM25 formula of Elasticsearch's similarity documentation and keep clear margins, so they do
/// not depend on float details.
/// </summary>
public abstract partial class JobStoreConformance
{
    private async Task<IStoreUnderTest> TextCorpusAsync()
    {
        var store = await StoreAsync();
        await LoadTextCorpusAsync(store);
        return store;
    }

    private static async Task<List<string>> RankedIdsAsync(IStoreUnderTest store, string query)
    {
        var response = await store.Jobs.SearchAsync(Json($$"""{"query":{{query}},"size":100}"""), None);
        return Ids(response);
    }

    [SkippableTheory]
    // Full text queries > Match query: one term ranks by term frequency and field length (BM25)
    [InlineData("Full text queries > Match query: one term ranks by term frequency and field length (BM25)", """{"match":{"message":"copy"}}""", "t2,t4,t1")]
    [InlineData("Full text queries > Match query: one term ranks by term frequency and field length (BM25)", """{"match":{"message":"GRANULE"}}""", "t1,t5,t3")]
    // Match query > operator (or by default): more matching terms rank higher
    [InlineData("Match query > operator (or by default): more matching terms rank higher", """{"match":{"message":"copy inputs"}}""", "t4,t2,t1,t3")]
    [InlineData("Match query > operator (or by default): more matching terms rank higher", """{"match":{"message":{"query":"copy inputs","operator":"and"}}}""", "t4,t2")]
    [InlineData("Match query > operator (or by default): more matching terms rank higher", """{"match":{"message":{"query":"granule copy","operator":"AND"}}}""", "t1")]
    // Match query > minimum_should_match: a count, a negative count, a percentage (rounded down)
    [InlineData("Match query > minimum_should_match: a count, a negative count, a percentage (rounded down)", """{"match":{"message":{"query":"copy inputs granule","minimum_should_match":2}}}""", "t4,t2,t1,t3")]
    [InlineData("Match query > minimum_should_match: a count, a negative count, a percentage (rounded down)", """{"match":{"message":{"query":"copy inputs granule","minimum_should_match":"-1"}}}""", "t4,t2,t1,t3")]
    [InlineData("Match query > minimum_should_match: a count, a negative count, a percentage (rounded down)", """{"match":{"message":{"query":"copy inputs granule","minimum_should_match":"67%"}}}""", "t4,t2,t1,t3")]
    [InlineData("Match query > minimum_should_match: a count, a negative count, a percentage (rounded down)", """{"match":{"message":{"query":"copy inputs granule","minimum_should_match":"100%"}}}""", "")]
    // Match query > zero_terms_query: an input the analyser removes entirely
    [InlineData("Match query > zero_terms_query: an input the analyser removes entirely", """{"match":{"message":"!!!"}}""", "")]
    [InlineData("Match query > zero_terms_query: an input the analyser removes entirely", """{"bool":{"must":{"match":{"message":{"query":"!!!","zero_terms_query":"all"}}},"filter":{"term":{"user-id":"bob"}}}}""", "t2,t4,t6")]
    // Match query on a keyword field: the whole input is one exact term
    [InlineData("Match query on a keyword field: the whole input is one exact term", """{"match":{"message.keyword":"Copy inputs"}}""", "t4")]
    [InlineData("Match query on a keyword field: the whole input is one exact term", """{"match":{"status":"failed"}}""", "t3")]
    // Match phrase query: positions must follow each other, or be within slop
    [InlineData("Match phrase query: positions must follow each other, or be within slop", """{"match_phrase":{"message":"copy inputs"}}""", "t4")]
    [InlineData("Match phrase query: positions must follow each other, or be within slop", """{"match_phrase":{"message":{"query":"copy inputs","slop":1}}}""", "t4,t2")]
    [InlineData("Match phrase query: positions must follow each other, or be within slop", """{"match_phrase":{"message":"inputs copy"}}""", "")]
    // Multi-match query > best_fields with a field boost, and most_fields
    [InlineData("Multi-match query > best_fields with a field boost, and most_fields", """{"multi_match":{"query":"failed","fields":["message^3","status"]}}""", "t1,t3")]
    [InlineData("Multi-match query > best_fields with a field boost, and most_fields", """{"multi_match":{"query":"failed","fields":["message^3","status"],"type":"most_fields"}}""", "t1,t3")]
    [InlineData("Multi-match query > best_fields with a field boost, and most_fields", """{"multi_match":{"query":"copy inputs","fields":["mess*"],"operator":"and"}}""", "t4,t2")]
    [InlineData("Multi-match query > best_fields with a field boost, and most_fields", """{"multi_match":{"query":"copy inputs","fields":["message"],"type":"phrase"}}""", "t4")]
    // Boolean query: should clauses add their scores, a filter adds nothing
    [InlineData("Boolean query: should clauses add their scores, a filter adds nothing", """{"bool":{"should":[{"match":{"message":"granule"}},{"match":{"message":"failed"}}]}}""", "t1,t5,t3")]
    [InlineData("Boolean query: should clauses add their scores, a filter adds nothing", """{"bool":{"must":{"match":{"message":"copy"}},"filter":{"term":{"user-id":"alice"}}}}""", "t1")]
    // Compound queries > Boosting with boost, constant_score and dis_max
    [InlineData("Compound queries > Boosting with boost, constant_score and dis_max", """{"bool":{"should":[{"match":{"message":"copy"}},{"constant_score":{"filter":{"term":{"status":"failed"}},"boost":5}}]}}""", "t3,t2,t4,t1")]
    [InlineData("Compound queries > Boosting with boost, constant_score and dis_max", """{"bool":{"should":[{"match":{"message":{"query":"granule","boost":10}}},{"match":{"message":"copy"}}]}}""", "t1,t5,t3,t2,t4")]
    [InlineData("Compound queries > Boosting with boost, constant_score and dis_max", """{"dis_max":{"queries":[{"match":{"message":"granule"}},{"match":{"message":"copy"}}]}}""", "t2,t4,t1,t5,t3")]
    public async Task Full_text_queries_rank_as_elasticsearch_does(string reference, string query, string expected)
    {
        var store = await TextCorpusAsync();

        AssertCase(reference, expected, string.Join(",", await RankedIdsAsync(store, query)));
    }

    [SkippableTheory]
    // Query string query: terms, fields, operators, phrases, wildcards, ranges, _exists_, grouping
    [InlineData("Query string query: terms, fields, operators, phrases, wildcards, ranges, _exists_, grouping", """{"query_string":{"query":"copy AND inputs"}}""", "t2,t4")]
    [InlineData("Query string query: terms, fields, operators, phrases, wildcards, ranges, _exists_, grouping", """{"query_string":{"query":"copy inputs","default_operator":"AND"}}""", "t2,t4")]
    [InlineData("Query string query: terms, fields, operators, phrases, wildcards, ranges, _exists_, grouping", """{"query_string":{"query":"message:\"copy inputs\""}}""", "t4")]
    [InlineData("Query string query: terms, fields, operators, phrases, wildcards, ranges, _exists_, grouping", """{"query_string":{"query":"message:\"copy inputs\"~1"}}""", "t2,t4")]
    [InlineData("Query string query: terms, fields, operators, phrases, wildcards, ranges, _exists_, grouping", """{"query_string":{"query":"status:failed OR message:granule"}}""", "t1,t3,t5")]
    [InlineData("Query string query: terms, fields, operators, phrases, wildcards, ranges, _exists_, grouping", """{"query_string":{"query":"(copy OR granule) AND NOT status:failed"}}""", "t1,t2,t4,t5")]
    [InlineData("Query string query: terms, fields, operators, phrases, wildcards, ranges, _exists_, grouping", """{"query_string":{"query":"-user-id:alice"}}""", "t2,t4,t6")]
    [InlineData("Query string query: terms, fields, operators, phrases, wildcards, ranges, _exists_, grouping", """{"query_string":{"query":"+granule -failed"}}""", "t5")]
    [InlineData("Query string query: terms, fields, operators, phrases, wildcards, ranges, _exists_, grouping", """{"query_string":{"query":"message:GRAN*"}}""", "t1,t3,t5")]
    [InlineData("Query string query: terms, fields, operators, phrases, wildcards, ranges, _exists_, grouping", """{"query_string":{"query":"message:c?py"}}""", "t1,t2,t4")]
    [InlineData("Query string query: terms, fields, operators, phrases, wildcards, ranges, _exists_, grouping", """{"query_string":{"query":"_exists_:message AND NOT message:copy"}}""", "t3,t5")]
    [InlineData("Query string query: terms, fields, operators, phrases, wildcards, ranges, _exists_, grouping", """{"query_string":{"query":"message:[c TO d}"}}""", "t1,t2,t4")]
    [InlineData("Query string query: terms, fields, operators, phrases, wildcards, ranges, _exists_, grouping", """{"query_string":{"query":"copy","fields":["message.keyword","status"]}}""", "")]
    [InlineData("Query string query: terms, fields, operators, phrases, wildcards, ranges, _exists_, grouping", """{"query_string":{"query":"failed","default_field":"status"}}""", "t3")]
    [InlineData("Query string query: terms, fields, operators, phrases, wildcards, ranges, _exists_, grouping", """{"query_string":{"query":"nosuchfield:copy OR t5"}}""", "t5")]
    [InlineData("Query string query: terms, fields, operators, phrases, wildcards, ranges, _exists_, grouping", """{"query_string":{"query":"*"}}""", "t1,t2,t3,t4,t5,t6")]
    // Simple query string query: + and, | or, - not, "phrases", prefix*, default_operator
    [InlineData("Simple query string query: + and, | or, - not, 'phrases', prefix*, default_operator", """{"simple_query_string":{"query":"copy +inputs"}}""", "t2,t4")]
    [InlineData("Simple query string query: + and, | or, - not, 'phrases', prefix*, default_operator", """{"simple_query_string":{"query":"copy inputs","default_operator":"and"}}""", "t2,t4")]
    [InlineData("Simple query string query: + and, | or, - not, 'phrases', prefix*, default_operator", """{"simple_query_string":{"query":"\"copy inputs\" | disk"}}""", "t3,t4")]
    [InlineData("Simple query string query: + and, | or, - not, 'phrases', prefix*, default_operator", """{"simple_query_string":{"query":"gran* -failed","default_operator":"and"}}""", "t5")]
    [InlineData("Simple query string query: + and, | or, - not, 'phrases', prefix*, default_operator", """{"simple_query_string":{"query":"granule","fields":["status","message.keyword"]}}""", "")]
    [InlineData("Simple query string query: + and, | or, - not, 'phrases', prefix*, default_operator", """{"simple_query_string":{"query":"copy (","fields":["message"]}}""", "t1,t2,t4")]
    public async Task Query_strings_find_the_expected_jobs(string reference, string query, string expected)
    {
        var store = await TextCorpusAsync();

        AssertCase(reference, expected, string.Join(",", await QueryIdsAsync(store, query)));
    }

    [SkippableTheory]
    // Query string query on every field (index.query.default_field "*"): each field takes what it can, leniently
    [InlineData("Query string query on every field (index.query.default_field '*'): each field takes what it can, leniently", "running", "job-2")]
    [InlineData("Query string query on every field (index.query.default_field '*'): each field takes what it can, leniently", "40", "job-2")]
    [InlineData("Query string query on every field (index.query.default_field '*'): each field takes what it can, leniently", "2026-11-23", "job-3")]
    [InlineData("Query string query on every field (index.query.default_field '*'): each field takes what it can, leniently", "C1", "job-1,job-3")]
    [InlineData("Query string query on every field (index.query.default_field '*'): each field takes what it can, leniently", "s3\\:\\/\\/bucket\\/out.nc", "job-3")]
    [InlineData("Query string query on every field (index.query.default_field '*'): each field takes what it can, leniently", "l1b*", "job-1,job-2,job-4,job-5")]
    [InlineData("Query string query on every field (index.query.default_field '*'): each field takes what it can, leniently", "process-id:l2-cwl AND progress:>=50", "job-3")]
    [InlineData("Query string query on every field (index.query.default_field '*'): each field takes what it can, leniently", "created:[2026-11-23 TO 2026-11-24]", "job-3,job-4")]
    [InlineData("Query string query on every field (index.query.default_field '*'): each field takes what it can, leniently", "created:{2026-11-23 TO *}", "job-4,job-5")]
    [InlineData("Query string query on every field (index.query.default_field '*'): each field takes what it can, leniently", "inputs.region.lat:10 OR inputs.flag:true", "job-1,job-3")]
    [InlineData("Query string query on every field (index.query.default_field '*'): each field takes what it can, leniently", "_exists_:error OR labels:gr*", "job-3,job-4")]
    [InlineData("Query string query on every field (index.query.default_field '*'): each field takes what it can, leniently", "process-id:l?b-cwl AND NOT labels:red", "job-5")]
    [InlineData("Query string query on every field (index.query.default_field '*'): each field takes what it can, leniently", "_id:job-4", "job-4")]
    public async Task Query_string_over_every_field_finds_the_expected_jobs(string reference, string text, string expected)
    {
        var (store, _) = await CorpusAsync();

        var query = new System.Text.Json.Nodes.JsonObject { ["query_string"] = new System.Text.Json.Nodes.JsonObject { ["query"] = text } };
        AssertCase(reference, expected, string.Join(",", await QueryIdsAsync(store, query.ToJsonString())));
    }
}
