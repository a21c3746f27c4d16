using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Core.Jobs;
using Jobs.Core.Json;
using Jobs.Core.Validation;

namespace Jobs.Api.Ogc;

/// <summary>
/// Turns the query parameters of <c>GET /jobs</c> (OGC job list: <c>processID</c>, <c>status</c>,
/// <c>type</c>, <c>datetime</c>, <c>minDuration</c>, <c>maxDuration</c>, <c>limit</c>; Jobs'
/// <c>labels</c>, <c>user</c>, <c>q</c>; the paging cursor <c>next</c>) into an Elasticsearch
/// search, so every store answers the list the way it answers any DSL search.
/// Array parameters accept both <c>status=a,b</c> and <c>status=a&amp;status=b</c>.
/// </summary>
public static class JobListQuery
{
    public const int DefaultLimit = 10;

    /// <summary>
    /// Most values all the list parameters may carry together: each becomes a clause of the
    /// search, and Elasticsearch refuses a query with more than 1,024 (its default
    /// <c>indices.query.bool.max_clause_count</c> before 8.0; the embedded store has the same limit).
    /// </summary>
    public const int MaxValues = 1024;

    private static readonly string[] ListParameters = ["processID", "status", "type", "labels", "user"];

    /// <summary>The fields a list entry needs (not inputs, outputs or events).</summary>
    private static readonly string[] ListFields =
    [
        "id", "process-id", "process-version", "status", "message", "created", "start-time", "stop-time",
        "updated", "progress", "stage", "labels", "user-id", "error",
    ];

    public sealed record Result(JsonObject? Search, int Limit, FieldErrors Errors);

    public static Result Build(IQueryCollection query, int maxLimit, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        var filters = new JsonArray();
        var valueCount = 0;
        foreach (var name in ListParameters)
        {
            valueCount += Values(query, name).Count;
            if (valueCount > MaxValues)
            {
                errors.Add(name, $"too many values: the list parameters ({string.Join(", ", ListParameters)}) may carry at most {MaxValues} values together (the clause limit of a search)");
                return new Result(null, DefaultLimit, errors);
            }
        }

        var limit = DefaultLimit;
        if (query.TryGetValue("limit", out var limitText))
        {
            if (!int.TryParse(limitText.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > maxLimit)
            {
                errors.Add("limit", $"must be a whole number from 1 to {maxLimit}");
            }
        }

        if (Values(query, "processID") is { Count: > 0 } processes)
        {
            filters.Add(AnyOf(processes.Select(ProcessClause)));
        }

        if (Values(query, "status") is { Count: > 0 } statuses)
        {
            var normalized = new JsonArray();
            foreach (var status in statuses)
            {
                if (JobStatuses.Normalize(status) is { } value)
                {
                    normalized.Add(value);
                }
                else
                {
                    errors.Add("status", $"'{status}' is not a status (use {string.Join(", ", JobStatuses.OgcValues)}, or {string.Join(", ", JobStatuses.IndexValues)})");
                }
            }

            filters.Add(Terms("status", normalized));
        }

        if (Values(query, "type") is { Count: > 0 } types && !types.Contains("process"))
        {
            filters.Add(new JsonObject { ["bool"] = new JsonObject { ["must_not"] = new JsonArray(new JsonObject { ["match_all"] = new JsonObject() }) } });
        }

        if (query.TryGetValue("datetime", out var datetime) && DateFilter(datetime.ToString(), errors) is { } dateFilter)
        {
            filters.Add(dateFilter);
        }

        var minDuration = Seconds(query, "minDuration", errors);
        var maxDuration = Seconds(query, "maxDuration", errors);
        if (minDuration is not null || maxDuration is not null)
        {
            filters.Add(DurationFilter(minDuration, maxDuration, now));
        }

        foreach (var label in Values(query, "labels"))
        {
            filters.Add(Term("labels", label));
        }

        if (Values(query, "user") is { Count: > 0 } users)
        {
            filters.Add(Terms("user-id", new JsonArray([.. users.Select(u => (JsonNode)u)])));
        }

        var search = new JsonObject
        {
            ["size"] = limit + 1, // one more than asked, to know whether there is a next page
            ["_source"] = new JsonArray([.. ListFields.Select(f => (JsonNode)f)]),
            ["sort"] = new JsonArray(
                new JsonObject { ["created"] = new JsonObject { ["order"] = "desc" } },
                new JsonObject { ["id"] = new JsonObject { ["order"] = "desc" } }),
            ["track_total_hits"] = false,
        };

        var boolQuery = new JsonObject { ["filter"] = filters };
        if (query.TryGetValue("q", out var text) && !string.IsNullOrWhiteSpace(text))
        {
            boolQuery["must"] = new JsonArray(new JsonObject
            {
                ["simple_query_string"] = new JsonObject { ["query"] = text.ToString(), ["default_operator"] = "and" },
            });
        }

        search["query"] = new JsonObject { ["bool"] = boolQuery };

        if (query.TryGetValue("next", out var cursor) && Cursor.Decode(cursor.ToString()) is { } after)
        {
            search["search_after"] = after;
        }
        else if (query.ContainsKey("next"))
        {
            errors.Add("next", "is not a paging cursor from a previous page's next link");
        }

        return new Result(errors.Any ? null : search, limit, errors);
    }

    private static List<string> Values(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values)
            ? values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList()
            : [];

    private static JsonObject Term(string field, string value) => new() { ["term"] = new JsonObject { [field] = value } };

    private static JsonObject Terms(string field, JsonArray values) => new() { ["terms"] = new JsonObject { [field] = values } };

    private static JsonObject AnyOf(IEnumerable<JsonObject> clauses) =>
        new() { ["bool"] = new JsonObject { ["should"] = new JsonArray([.. clauses]) } };

    private static JsonObject ProcessClause(string processRef)
    {
        var colon = processRef.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return Term("process-id", processRef);
        }

        return new JsonObject
        {
            ["bool"] = new JsonObject
            {
                ["filter"] = new JsonArray(Term("process-id", processRef[..colon]), Term("process-version", processRef[(colon + 1)..])),
            },
        };
    }

    /// <summary>An instant (created equals it) or an interval <c>a/b</c> with open ends <c>..</c> or empty.</summary>
    private static JsonObject? DateFilter(string text, FieldErrors errors)
    {
        var parts = text.Split('/');
        if (parts.Length > 2)
        {
            errors.Add("datetime", "must be an RFC 3339 instant or an interval start/end (open ends: .. or empty)");
            return null;
        }

        DateTimeOffset? Bound(string part)
        {
            if (part is "" or "..")
            {
                return null;
            }

            if (UtcTimestampJsonConverter.TryParse(part, out var value))
            {
                return value;
            }

            errors.Add("datetime", $"'{part}' is not an RFC 3339 date-time such as 2026-11-22T10:00:00Z");
            return null;
        }

        var start = Bound(parts[0]);
        var end = parts.Length == 2 ? Bound(parts[1]) : start;
        if (parts.Length == 1 && start is null)
        {
            return null;
        }

        var range = new JsonObject();
        if (start is { } s)
        {
            range["gte"] = UtcTimestampJsonConverter.ToText(s);
        }

        if (end is { } e)
        {
            range["lte"] = UtcTimestampJsonConverter.ToText(e);
        }

        return range.Count == 0 ? null : new JsonObject { ["range"] = new JsonObject { ["created"] = range } };
    }

    private static int? Seconds(IQueryCollection query, string name, FieldErrors errors)
    {
        if (!query.TryGetValue(name, out var text))
        {
            return null;
        }

        if (int.TryParse(text.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return seconds;
        }

        errors.Add(name, "must be a whole number of seconds, 0 or more");
        return null;
    }

    /// <summary>
    /// OGC duration rule: a finished job's duration is stop - start; a running job's is now - start;
    /// jobs without those timestamps (accepted ones) are left out.
    /// </summary>
    private static JsonObject DurationFilter(int? min, int? max, DateTimeOffset now)
    {
        var finished = new JsonObject();
        var started = new JsonObject();
        if (min is { } lo)
        {
            finished["gte"] = lo;
            started["lte"] = UtcTimestampJsonConverter.ToText(now.AddSeconds(-lo));
        }

        if (max is { } hi)
        {
            finished["lte"] = hi;
            started["gte"] = UtcTimestampJsonConverter.ToText(now.AddSeconds(-hi));
        }

        return AnyOf(
        [
            new JsonObject { ["range"] = new JsonObject { ["duration"] = finished } },
            new JsonObject
            {
                ["bool"] = new JsonObject
                {
                    ["filter"] = new JsonArray(Term("status", "running"), new JsonObject { ["range"] = new JsonObject { ["start-time"] = started } }),
                },
            },
        ]);
    }

    /// <summary>The opaque <c>next</c> cursor: the last hit's sort values, base64url JSON.</summary>
    public static class Cursor
    {
        public static string Encode(JsonNode sortValues) =>
            Convert.ToBase64String(Encoding.UTF8.GetBytes(sortValues.ToJsonString())).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        public static JsonArray? Decode(string text)
        {
            try
            {
                var base64 = text.Replace('-', '+').Replace('_', '/');
                base64 += new string('=', (4 - (base64.Length % 4)) % 4);
                var node = JsonNode.Parse(Convert.FromBase64String(base64));
                return node is JsonArray { Count: 2 } array && array[0] is JsonValue && array[1] is JsonValue ? array : null;
            }
            catch (Exception e) when (e is FormatException or JsonException)
            {
                return null;
            }
        }
    }
}
