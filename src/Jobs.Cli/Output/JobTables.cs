using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace Jobs.Cli.Output;

/// <summary>How the CLI prints jobs, processes and events: Spectre.Console tables, or JSON and ids for scripts.</summary>
public static class JobTables
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void WriteJson(CliContext context, JsonNode? node) => context.Out.WriteLine(node?.ToJsonString(Indented) ?? "null");

    /// <summary>id, process, status, progress, labels, created, duration.</summary>
    public static void Jobs(CliContext context, IEnumerable<JsonNode> jobs)
    {
        var now = context.Time.GetUtcNow();
        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in (string[])["ID", "PROCESS", "STATUS", "PROGRESS", "LABELS", "CREATED", "DURATION"])
        {
            table.AddColumn(new TableColumn(column).NoWrap());
        }

        foreach (var job in jobs.Select(JobFields.From))
        {
            table.AddRow(
                Markup.Escape(job.Id),
                Markup.Escape(job.Process),
                StatusMarkup(job.Status),
                job.Progress is { } p ? $"{p}%" : "",
                Markup.Escape(string.Join(",", job.Labels)),
                JobFields.Format(job.Created),
                JobFields.Format(job.Duration(now)));
        }

        context.CreateConsole().Write(table);
    }

    /// <summary>One job: a line per field, then inputs, outputs and error as JSON.</summary>
    public static void Job(CliContext context, JsonNode job)
    {
        var fields = JobFields.From(job);
        var rows = new List<(string Name, string? Value)>
        {
            ("id", fields.Id),
            ("process", fields.Process),
            ("status", fields.Status),
            ("stage", fields.Stage),
            ("progress", fields.Progress is { } p ? $"{p}%" : null),
            ("message", fields.Message),
            ("labels", string.Join(", ", fields.Labels)),
            ("user", job["userID"]?.ToString()),
            ("created", JobFields.Format(fields.Created)),
            ("started", JobFields.Format(fields.Started)),
            ("finished", JobFields.Format(fields.Finished)),
            ("duration", JobFields.Format(fields.Duration(context.Time.GetUtcNow()))),
        };
        foreach (var name in (string[])["inputs", "outputs", "error"])
        {
            if (job[name] is JsonObject { Count: > 0 } value)
            {
                rows.Add((name, value.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping })));
            }
        }

        foreach (var (name, value) in rows.Where(r => !string.IsNullOrEmpty(r.Value)))
        {
            context.Out.WriteLine($"{name,-9} {value}");
        }
    }

    public static void Processes(CliContext context, JsonArray processes)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in (string[])["ID", "VERSION", "TITLE", "VERSIONS"])
        {
            table.AddColumn(new TableColumn(column));
        }

        foreach (var process in processes.OfType<JsonObject>())
        {
            table.AddRow(
                Markup.Escape(process["id"]?.ToString() ?? ""),
                Markup.Escape(process["version"]?.ToString() ?? ""),
                Markup.Escape(process["title"]?.ToString() ?? ""),
                Markup.Escape(process["versions"] is JsonArray v ? string.Join(",", v.Select(x => x?.ToString())) : ""));
        }

        context.CreateConsole().Write(table);
    }

    /// <summary>A job's events, oldest first: time, source, status, stage, progress, outcome, and the message or reason.</summary>
    public static void Events(CliContext context, JsonArray events)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in (string[])["TIME", "SOURCE", "STATUS", "STAGE", "PROGRESS", "OUTCOME", "DETAIL"])
        {
            table.AddColumn(new TableColumn(column));
        }

        foreach (var e in events.OfType<JsonObject>())
        {
            var time = e["time"]?.ToString();
            var detail = string.Join("; ", new[]
            {
                e["message"]?.ToString(),
                e["outputs"] is JsonObject { Count: > 0 } o ? "outputs " + o.ToJsonString() : null,
                e["labels"] is JsonObject l ? "labels " + l.ToJsonString() : null,
                e["error"] is JsonObject err ? "error " + err.ToJsonString() : null,
                e["reason"]?.ToString(),
            }.Where(x => !string.IsNullOrEmpty(x)));
            table.AddRow(
                Markup.Escape(time is null ? "" : JobFields.Format(DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture))),
                Markup.Escape(e["source"]?.ToString() ?? ""),
                Markup.Escape(e["status"]?.ToString() ?? ""),
                Markup.Escape(e["stage"]?.ToString() ?? ""),
                e["progress"] is { } p ? $"{p}%" : "",
                Markup.Escape(e["outcome"]?.ToString() ?? ""),
                Markup.Escape(detail));
        }

        context.CreateConsole().Write(table);
    }

    public static string StatusMarkup(string status) => status switch
    {
        "successful" => "[green]successful[/]",
        "failed" => "[red]failed[/]",
        "dismissed" => "[grey]dismissed[/]",
        "running" => "[blue]running[/]",
        _ => Markup.Escape(status),
    };
}
