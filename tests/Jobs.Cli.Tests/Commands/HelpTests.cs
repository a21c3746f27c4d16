namespace Jobs.Cli.Tests.Commands;

/// <summary>Every command has help, the exit codes are documented in it, and shell completion answers.</summary>
public sealed class HelpTests
{
    private static readonly string[] CommandNames =
    [
        "login", "logout", "profiles", "profiles list", "profiles use", "profiles remove", "processes", "processes list",
        "processes describe", "processes deploy", "processes undeploy", "submit", "get", "list", "search", "history",
        "watch", "dismiss", "results", "resubmit", "update", "run", "completion",
    ];

    public static TheoryData<string> Commands() => [.. CommandNames];

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Every_command_answers_help_with_exit_0(string command)
    {
        var result = await CliRun.RunAsync([.. command.Split(' '), "--help"]);

        Assert.True(result.ExitCode == 0, result.Error);
        // The usage line starts with the executable's name (jobsctl; the test host here).
        Assert.Matches($@"Usage:\s+\S+ {command}\b", result.Out);
    }

    [Fact]
    public async Task The_root_help_lists_every_command_and_the_exit_codes()
    {
        var result = await CliRun.RunAsync("--help");

        foreach (var command in CommandNames.Where(c => !c.Contains(' ', StringComparison.Ordinal)))
        {
            Assert.Contains($"  {command}", result.Out);
        }

        foreach (var code in (string[])["0 ", "1 ", "2 ", "3 ", "64", "65", "75", "77"])
        {
            Assert.Contains($"\n  {code}", result.Out);
        }
    }

    [Fact]
    public async Task The_documented_exit_codes_match_the_constants()
    {
        var documented = await File.ReadAllTextAsync(Path.Combine(Repo.Root, "docs", "cli.md"));
        foreach (var field in typeof(ExitCodes).GetFields().Where(f => f.IsLiteral && f.FieldType == typeof(int)))
        {
            Assert.Contains($"| {field.GetValue(null)} |", documented);
        }
    }

    [Fact]
    public async Task An_unknown_option_is_a_usage_error_pointing_at_the_command_s_help()
    {
        var result = await CliRun.RunAsync("list", "--colour");

        Assert.Equal(64, result.ExitCode);
        Assert.Contains("'jobsctl list --help'", result.Error);
    }

    [Fact]
    public async Task The_completion_script_asks_jobsctl_through_the_suggest_directive_which_completes_commands_and_values()
    {
        var script = await CliRun.RunAsync("completion", "bash");
        var commands = await CliRun.RunAsync("[suggest:12]", "jobsctl proc");
        var formats = await CliRun.RunAsync("[suggest:22]", "jobsctl list --output ");

        Assert.Contains("complete -o default -F _jobsctl_complete jobsctl", script.Out);
        Assert.Contains("[suggest:", script.Out);
        Assert.Equal("processes", commands.Out.Trim());
        Assert.Equal(["ids", "json", "table"], formats.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order());
    }
}
