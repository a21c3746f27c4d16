using System.CommandLine;

namespace Jobs.Cli.Commands;

/// <summary>
/// <c>jobsctl completion bash|zsh</c>: prints a script that asks <c>jobsctl</c> itself for
/// completions through System.CommandLine's <c>[suggest]</c> directive (the protocol dotnet-suggest
/// uses), so commands, options and their allowed values complete without a separate tool.
/// </summary>
internal static class CompletionCommand
{
    private const string Bash = """
        # jobsctl completion for bash: eval "$(jobsctl completion bash)", or save it under
        # ~/.local/share/bash-completion/completions/jobsctl
        _jobsctl_complete() {
            local IFS=$'\n'
            COMPREPLY=( $(compgen -W "$(jobsctl "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null)" -- "${COMP_WORDS[COMP_CWORD]}") )
        }
        complete -o default -F _jobsctl_complete jobsctl
        """;

    private const string Zsh = """
        # jobsctl completion for zsh: eval "$(jobsctl completion zsh)"
        _jobsctl_complete() {
            local -a completions
            completions=("${(@f)$(jobsctl "[suggest:${#BUFFER}]" "$BUFFER" 2>/dev/null)}")
            compadd -- $completions
        }
        compdef _jobsctl_complete jobsctl
        """;

    public static Command Create(CliContext context)
    {
        var shell = new Argument<string>("shell") { Description = "bash or zsh" };
        shell.AcceptOnlyFromAmong("bash", "zsh");
        var command = new Command("completion", "Print a shell completion script: eval \"$(jobsctl completion bash)\".") { shell };
        command.SetAction(parse =>
        {
            context.Out.WriteLine(parse.GetValue(shell) == "zsh" ? Zsh : Bash);
            return ExitCodes.Ok;
        });
        return command;
    }
}
