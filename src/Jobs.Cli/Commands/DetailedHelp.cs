using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Runtime.CompilerServices;

namespace Jobs.Cli.Commands;

/// <summary>
/// Longer help for a command (environment variables, exit codes, examples), printed after the
/// standard <c>--help</c> of that command only, so the command list stays one line per command.
/// </summary>
internal static class DetailedHelp
{
    private static readonly ConditionalWeakTable<Command, string> Details = [];

    public static T WithDetails<T>(this T command, string details)
        where T : Command
    {
        Details.AddOrUpdate(command, details);
        return command;
    }

    /// <summary>Makes the root's help option print a command's details after its standard help; returns that action.</summary>
    public static CommandLineAction? Install(RootCommand root, CliContext context)
    {
        var help = root.Options.OfType<HelpOption>().Single();
        if (help.Action is HelpAction standard)
        {
            help.Action = new Action(standard, context);
        }

        return help.Action;
    }

    private sealed class Action(HelpAction standard, CliContext context) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var code = standard.Invoke(parseResult);
            if (Details.TryGetValue(parseResult.CommandResult.Command, out var details))
            {
                context.Out.WriteLine(details);
                context.Out.WriteLine();
            }

            return code;
        }
    }
}
