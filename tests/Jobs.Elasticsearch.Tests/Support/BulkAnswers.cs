using System.Text.Json.Nodes;
using Jobs.Core.Json;

namespace Jobs.Elasticsearch.Tests.Support;

/// <summary>Realistic <c>_mget</c> and <c>_bulk</c> answers.</summary>
internal static class BulkAnswers
{
    public static string Mget(params string[] docs) => $$"""{"docs":[{{string.Join(",", docs)}}]}""";

    public static string FoundDoc(Core.Jobs.JobDocument job, long seqNo = 7, long primaryTerm = 1) =>
        EsAnswers.Found("jobs-000001", job.Id, System.Text.Encoding.UTF8.GetString(JobsJson.ToUtf8(job)), seqNo, primaryTerm).Trim();

    public static string MissingDoc(string id) => EsAnswers.NotFound("jobs-000001", id);

    public static string Ok(string action, string index, string id, int status = 200, long seqNo = 8) => $$$"""
        {"{{{action}}}":{"_index":"{{{index}}}","_id":"{{{id}}}","_version":2,"result":"{{{(status == 201 ? "created" : "updated")}}}","_shards":{"total":2,"successful":1,"failed":0},"_seq_no":{{{seqNo}}},"_primary_term":1,"status":{{{status}}}}}
        """.Trim();

    public static string Conflict(string id) => $$$$"""
        {"index":{"_index":"jobs-000001","_id":"{{{{id}}}}","status":409,"error":{"type":"version_conflict_engine_exception","reason":"[{{{{id}}}}]: version conflict, required seqNo [7], primary term [1]. current document has seqNo [9] and primary term [1]","index_uuid":"kQz4Hk0pT1m2","shard":"0","index":"jobs-000001"}}}
        """.Trim();

    public static string Rejected429(string action, string index, string id) => $$$$"""
        {"{{{{action}}}}":{"_index":"{{{{index}}}}","_id":"{{{{id}}}}","status":429,"error":{"type":"es_rejected_execution_exception","reason":"rejected execution of primary operation [coordinating_and_primary_bytes=53687000, replica_bytes=0, all_bytes=53687000, primary_operation_bytes=2048, max_coordinating_and_primary_bytes=53687091]"}}}
        """.Trim();

    public static string Bulk(params string[] items) =>
        $$"""{"took":12,"errors":{{(items.Any(i => i.Contains("\"error\"", StringComparison.Ordinal)) ? "true" : "false")}},"items":[{{string.Join(",", items)}}]}""";

    /// <summary>A <c>_bulk</c> answer accepting every action of an NDJSON body.</summary>
    public static string AcceptAll(string ndjson)
    {
        var lines = ndjson.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var items = new List<string>();
        for (var i = 0; i < lines.Length; i += 2)
        {
            var action = JsonNode.Parse(lines[i])!.AsObject().Single();
            var index = (string)action.Value!["_index"]! + "-000001";
            items.Add(Ok(action.Key, index, (string)action.Value!["_id"]!, action.Key == "create" ? 201 : 200));
        }

        return Bulk([.. items]);
    }

    /// <summary>Answers every <c>POST /job-events/_mget</c>: none of the update ids is known yet.</summary>
    public static void NoEventsKnown(EsServer es) =>
        es.On("POST", "/job-events/_mget", request => (200, Mget([.. IdsOf(request.Body!).Select(id => EsAnswers.NotFound("job-events-000001", id))])));

    /// <summary>The ids of an <c>_mget</c> body.</summary>
    public static IReadOnlyList<string> IdsOf(string mgetBody) =>
        JsonNode.Parse(mgetBody)!["ids"]!.AsArray().Select(n => (string)n!).ToList();
}
