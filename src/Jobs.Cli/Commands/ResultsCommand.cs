using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Cli.Output;
using Spectre.Console;

namespace Jobs.Cli.Commands;

/// <summary>
/// <c>jobsctl results ID</c>: a successful job's outputs (name and URL or value); with
/// <c>--download DIR</c>, every http(s) output is fetched into DIR. A job that failed, was
/// dismissed or has not finished says so with its exit code (1, 2, 3).
/// </summary>
internal static class ResultsCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Argument<string>("job-id") { Description = "The job" };
        var download = new Option<string?>("--download", "-d") { Description = "Fetch the http(s) outputs into this directory", HelpName = "dir" };
        var output = CommandActions.OutputOption("table", "json");
        var command = new Command("results", "Show a successful job's outputs; --download fetches the http(s) ones.") { id, download, output };
        return command.WithClient(context, async (parse, client, ct) =>
        {
            var job = await client.GetAsync($"jobs/{CommandActions.Segment(parse.GetValue(id)!)}", ct);
            var fields = JobFields.From(job);
            switch (fields.Status)
            {
                case "failed":
                    await context.Error.WriteLineAsync($"jobsctl: job {fields.Id} failed: {job["error"]?["type"]}: {job["error"]?["message"]}");
                    return ExitCodes.JobFailed;
                case "dismissed":
                    await context.Error.WriteLineAsync($"jobsctl: job {fields.Id} was dismissed; it has no results");
                    return ExitCodes.JobDismissed;
                case not "successful":
                    await context.Error.WriteLineAsync($"jobsctl: job {fields.Id} is {fields.Status}; results come once it is successful (jobsctl watch {fields.Id})");
                    return ExitCodes.StillRunning;
            }

            var outputs = job["outputs"] as JsonObject ?? [];
            if (parse.GetValue(output) == "json")
            {
                JobTables.WriteJson(context, outputs);
            }
            else
            {
                var table = new Table().Border(TableBorder.Simple).AddColumn("OUTPUT").AddColumn("VALUE");
                foreach (var (name, value) in outputs)
                {
                    table.AddRow(Markup.Escape(name), Markup.Escape(value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.ToString() : value?.ToJsonString() ?? "null"));
                }

                context.CreateConsole().Write(table);
            }

            if (parse.GetValue(download) is { } directory)
            {
                Directory.CreateDirectory(directory);
                foreach (var (name, url) in Urls(outputs))
                {
                    var file = Path.Combine(directory, FileName(name, url));
                    await client.DownloadAsync(url, file, ct);
                    await context.Error.WriteLineAsync($"downloaded {name}: {url} -> {file}");
                }
            }

            return ExitCodes.Ok;
        });
    }

    /// <summary>Every http(s) URL among the outputs, a list output giving several.</summary>
    private static IEnumerable<(string Name, Uri Url)> Urls(JsonObject outputs)
    {
        foreach (var (name, value) in outputs)
        {
            var values = value is JsonArray list ? list.ToList() : [value];
            foreach (var text in values.OfType<JsonValue>().Select(v => v.ToString()))
            {
                if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
                {
                    yield return (name, uri);
                }
            }
        }
    }

    /// <summary>The URL's last path segment, else the output's name; never a path outside the directory.</summary>
    private static string FileName(string name, Uri url)
    {
        var last = Uri.UnescapeDataString(url.Segments.LastOrDefault() ?? "").Trim('/');
        var file = last.Length > 0 ? last : name;
        return string.Concat(file.Select(c => Path.GetInvalidFileNameChars().Contains(c) || c == '/' || c == '\\' ? '_' : c)) is { Length: > 0 } safe && safe != "." && safe != ".."
            ? safe
            : "output";
    }
}
