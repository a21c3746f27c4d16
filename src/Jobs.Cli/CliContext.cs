using System.Collections;

namespace Jobs.Cli;

/// <summary>
/// What a run of <c>jobs</c> reads and writes besides its arguments. The real one uses the process
/// environment and console; tests pass their own environment, writers, HTTP handler and delays.
/// </summary>
public sealed record CliContext(IReadOnlyDictionary<string, string?> Environment, TextWriter Out, TextWriter Error)
{
    /// <summary>Sends API and SNS requests (null: a default handler).</summary>
    public HttpMessageHandler? HttpHandler { get; init; }

    /// <summary>Waits between attempts (tests skip the wait).</summary>
    public Func<TimeSpan, CancellationToken, Task> Delay { get; init; } = Task.Delay;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public static CliContext FromProcess() => new(
        System.Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal),
        Console.Out,
        Console.Error);

    /// <summary>The first of <paramref name="names"/> that is set to something other than blanks.</summary>
    public string? Env(params string[] names) =>
        names.Select(n => Environment.GetValueOrDefault(n)).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim();
}
