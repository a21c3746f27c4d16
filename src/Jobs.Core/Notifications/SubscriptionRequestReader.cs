using System.Text.Json;
using Jobs.Core.Jobs;
using Jobs.Core.Validation;

namespace Jobs.Core.Notifications;

/// <summary>A subscription as a client asks for it (before it has an owner, an id and a secret).</summary>
public sealed record SubscriptionRequest(string Url, IReadOnlyList<string> Events, bool Persistent, JobFilter Filter, string? Query);

/// <summary>
/// Reads <c>POST /subscriptions</c> and <c>POST /jobs/{id}/subscriptions</c> bodies:
/// <c>{"url", "event" or "events", "persistent", "filter": {"labels", "status", "process", "query"}}</c>
/// (no filter on a job's own subscription), reporting problems by field.
/// </summary>
public static class SubscriptionRequestReader
{
    public static ReadResult<SubscriptionRequest> Read(JsonElement root, bool forJob)
    {
        var errors = new FieldErrors();
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add("", $"must be a subscription (a JSON object), not {JsonRead.Describe(root.ValueKind)}");
            return new(null, errors);
        }

        JsonRead.RefuseUnknown(root, "", errors, forJob ? ["url", "event", "events", "persistent"] : ["url", "event", "events", "persistent", "filter"]);
        var url = JsonRead.String(root, "url", "url", errors, required: true);
        if (url is not null && NotificationTarget.Problem(url) is { } problem)
        {
            errors.Add("url", problem);
        }

        var events = new List<string>();
        if (JsonRead.String(root, "event", "event", errors) is { } one)
        {
            events.Add(one);
        }

        events.AddRange(JsonRead.StringArray(root, "events", "events", errors) ?? []);
        if (events.Count == 0)
        {
            events.Add(EventNames.Any);
        }

        foreach (var name in events.Where(n => !EventNames.IsKnown(n)))
        {
            errors.Add("events", $"'{name}' {EventNames.Expected}");
        }

        var persistent = true;
        if (JsonRead.TryGet(root, "persistent", out var p))
        {
            if (p.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                persistent = p.GetBoolean();
            }
            else
            {
                errors.Add("persistent", $"must be true or false, not {JsonRead.Describe(p.ValueKind)}");
            }
        }

        var (filter, query) = ReadFilter(root, errors);
        return new(errors.Any ? null : new SubscriptionRequest(url!, events, persistent, filter, query), errors);
    }

    private static (JobFilter Filter, string? Query) ReadFilter(JsonElement root, FieldErrors errors)
    {
        if (JsonRead.Object(root, "filter", "filter", errors) is not { } f)
        {
            return (new JobFilter(), null);
        }

        JsonRead.RefuseUnknown(f, "filter", errors, "labels", "status", "process", "query");
        var statuses = new List<JobStatus>();
        foreach (var s in JsonRead.StringArray(f, "status", "filter.status", errors) ?? [])
        {
            if (JobStatuses.TryParse(s, out var status))
            {
                statuses.Add(status);
            }
            else
            {
                errors.Add("filter.status", $"'{s}' is not a status (accepted, running, successful, failed, dismissed, or the index names)");
            }
        }

        string? query = null;
        if (JsonRead.TryGet(f, "query", out var q))
        {
            if (q.ValueKind == JsonValueKind.Object)
            {
                query = q.GetRawText();
            }
            else
            {
                errors.Add("filter.query", $"must be an Elasticsearch query object, not {JsonRead.Describe(q.ValueKind)}");
            }
        }

        return (new JobFilter
        {
            Labels = JsonRead.StringArray(f, "labels", "filter.labels", errors) ?? [],
            Statuses = statuses,
            Process = JsonRead.String(f, "process", "filter.process", errors),
        }, query);
    }
}
