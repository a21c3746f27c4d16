using System.Collections;
using Spectre.Console;

namespace Jobs.Cli;

/// <summary>
/// What a run of <c>jobsctl</c> reads and writes besides its arguments. The real one uses the
/// process environment and console; tests pass their own environment, writers, HTTP handler and delays.
/// </summary>
public sealed record CliContext(IReadOnlyDictionary<string, string?> Environment, TextWriter Out, TextWriter Error)
{
    /// <summary>Sends API and SNS requests (null: a default handler).</summary>
    public HttpMessageHandler? HttpHandler { get; init; }

    /// <summary>Waits between attempts, between polls and before reopening a stream (tests replace the wait).</summary>
    public Func<TimeSpan, CancellationToken, Task> Delay { get; init; } = Task.Delay;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Standard input (<c>login --with-token</c> reads the credential from it).</summary>
    public TextReader In { get; init; } = TextReader.Null;

    /// <summary>A person watches the output: live progress bars instead of one line per change.</summary>
    public bool Interactive { get; init; }

    public static CliContext FromProcess() => new(
        System.Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal),
        Console.Out,
        Console.Error)
    {
        In = Console.In,
        Interactive = !Console.IsOutputRedirected && System.Environment.GetEnvironmentVariable("CI") is null,
    };

    /// <summary>The first of <paramref name="names"/> that is set to something other than blanks.</summary>
    public string? Env(params string[] names) =>
        names.Select(n => Environment.GetValueOrDefault(n)).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim();

    /// <summary>Tables and progress on <see cref="Out"/>: colours and live redraws only when interactive and NO_COLOR is unset.</summary>
    public IAnsiConsole CreateConsole()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Out),
            Ansi = Interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = Interactive && Env("NO_COLOR") is null ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = Interactive ? InteractionSupport.Yes : InteractionSupport.No,
        });
        if (!Interactive)
        {
            // Redirected output is read by scripts and tests: wide enough that a row is one line.
            console.Profile.Width = 240;
        }

        return console;
    }
}
