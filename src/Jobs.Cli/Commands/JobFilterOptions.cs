using System.CommandLine;
using System.Globalization;
using Jobs.Cli.Inputs;

namespace Jobs.Cli.Commands;

/// <summary>
/// The OGC job-list filters of <c>GET /jobs</c> as options (<c>list</c> and <c>watch</c>):
/// process, status, labels, user, time range, duration, free text, limit.
/// </summary>
internal sealed class JobFilterOptions
{
    public Option<string[]> Process { get; } = new("--process", "-p") { Description = "Process id or id:version (repeatable) [processID]", HelpName = "id[:version]", Arity = ArgumentArity.ZeroOrMore };

    public Option<string[]> Status { get; } = new("--status", "-s") { Description = "accepted/submitted, running, successful/succeeded, failed, dismissed (repeatable) [status]", Arity = ArgumentArity.ZeroOrMore };

    public Option<string[]> Label { get; } = new("--label", "-l") { Description = "A label every job must have (repeatable) [labels]", Arity = ArgumentArity.ZeroOrMore };

    public Option<string?> User { get; } = new("--user") { Description = "Jobs of this user (admins) [user]" };

    public Option<string?> Since { get; } = new("--since") { Description = "Created at most this long ago, e.g. 30m or 48h [datetime]", HelpName = "duration" };

    public Option<string?> Datetime { get; } = new("--datetime") { Description = "OGC datetime: an instant or interval, e.g. 2026-11-01T00:00:00Z/.. [datetime]", HelpName = "interval" };

    public Option<string?> MinDuration { get; } = new("--min-duration") { Description = "Ran at least this long (e.g. 5m) [minDuration]", HelpName = "duration" };

    public Option<string?> MaxDuration { get; } = new("--max-duration") { Description = "Ran at most this long [maxDuration]", HelpName = "duration" };

    public Option<string?> Query { get; } = new("--query", "-q") { Description = "Free text or a query_string query [q]", HelpName = "text" };

    public Option<int?> Limit { get; } = new("--limit") { Description = "Jobs per page (1-1000, default 10) [limit]", HelpName = "n" };

    public void AddTo(Command command)
    {
        foreach (var option in (Option[])[Process, Status, Label, User, Since, Datetime, MinDuration, MaxDuration, Query, Limit])
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The query string (without <c>?</c>); the API checks the values and answers 400 naming a bad one.</summary>
    public string ToQuery(ParseResult parse, CliContext context)
    {
        var pairs = new List<(string, string)>();
        pairs.AddRange(parse.GetValue(Process)!.Select(p => ("processID", p)));
        pairs.AddRange(parse.GetValue(Status)!.Select(s => ("status", s)));
        pairs.AddRange(parse.GetValue(Label)!.Select(l => ("labels", l)));
        if (parse.GetValue(User) is { } user)
        {
            pairs.Add(("user", user));
        }

        if (parse.GetValue(Since) is not null && parse.GetValue(Datetime) is not null)
        {
            throw new CliException(ExitCodes.Usage, "--since and --datetime both filter on the creation time: give one");
        }

        if (parse.GetValue(Since) is { } ago)
        {
            var from = context.Time.GetUtcNow() - DurationText.Parse(ago, "--since");
            pairs.Add(("datetime", from.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) + "/.."));
        }
        else if (parse.GetValue(Datetime) is { } datetime)
        {
            pairs.Add(("datetime", datetime));
        }

        if (parse.GetValue(MinDuration) is { } min)
        {
            pairs.Add(("minDuration", Seconds(DurationText.Parse(min, "--min-duration"))));
        }

        if (parse.GetValue(MaxDuration) is { } max)
        {
            pairs.Add(("maxDuration", Seconds(DurationText.Parse(max, "--max-duration"))));
        }

        if (parse.GetValue(Query) is { } q)
        {
            pairs.Add(("q", q));
        }

        if (parse.GetValue(Limit) is { } limit)
        {
            pairs.Add(("limit", limit.ToString(CultureInfo.InvariantCulture)));
        }

        return string.Join("&", pairs.Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2)}"));
    }

    private static string Seconds(TimeSpan span) => ((long)span.TotalSeconds).ToString(CultureInfo.InvariantCulture);
}
