using System.CommandLine;
using Jobs.Cli.Config;
using Spectre.Console;

namespace Jobs.Cli.Commands;

/// <summary><c>jobsctl profiles list|use|remove</c> and <c>jobsctl logout</c>: the saved profiles.</summary>
internal static class ProfilesCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("profiles", "Saved profiles (jobsctl login): list, use, remove.");
        var list = new Command("list", "List the profiles; * marks the current one.");
        list.SetAction((_, _) => CommandActions.RunAsync(context, () =>
        {
            var file = ConfigFile.For(context);
            var config = file.Load();
            var table = new Table().Border(TableBorder.Simple).AddColumn("").AddColumn("PROFILE").AddColumn("API URL").AddColumn("CREDENTIAL");
            foreach (var (name, profile) in config.Profiles.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                table.AddRow(name == config.Current ? "*" : "", Markup.Escape(name), Markup.Escape(profile.ApiUrl ?? Connection.DefaultApiUrl),
                    profile.Token is not null ? "bearer token" : profile.ApiKey is not null ? "API key" : "none");
            }

            context.CreateConsole().Write(table);
            context.Out.WriteLine($"config: {file.Path}");
            return Task.FromResult(ExitCodes.Ok);
        }));

        var useName = new Argument<string>("profile");
        var use = new Command("use", "Make a profile the current one.") { useName };
        use.SetAction((parse, _) => CommandActions.RunAsync(context, () =>
        {
            var file = ConfigFile.For(context);
            var config = file.Load();
            var name = parse.GetValue(useName)!;
            if (!config.Profiles.ContainsKey(name))
            {
                throw new CliException(ExitCodes.Usage, $"no profile '{name}'; create it with 'jobsctl login --profile {name}'");
            }

            file.Save(config with { Current = name });
            context.Out.WriteLine($"current profile: {name}");
            return Task.FromResult(ExitCodes.Ok);
        }));

        var removeName = new Argument<string>("profile");
        var remove = new Command("remove", "Forget a profile and its credential.") { removeName };
        remove.SetAction((parse, _) => CommandActions.RunAsync(context, () => RemoveAsync(context, parse.GetValue(removeName)!)));

        command.Subcommands.Add(list);
        command.Subcommands.Add(use);
        command.Subcommands.Add(remove);
        return command;
    }

    /// <summary><c>jobsctl logout [--profile NAME]</c>: the same as <c>profiles remove</c> for the current (or named) profile.</summary>
    public static Command Logout(CliContext context)
    {
        var profile = new Option<string?>("--profile") { Description = "Profile to forget (default: the current one)", HelpName = "name" };
        var command = new Command("logout", "Forget the current profile's credential (or --profile's).") { profile };
        command.SetAction((parse, _) => CommandActions.RunAsync(context, () =>
            RemoveAsync(context, parse.GetValue(profile) ?? ConfigFile.For(context).Load().Current)));
        return command;
    }

    private static Task<int> RemoveAsync(CliContext context, string name)
    {
        var file = ConfigFile.For(context);
        var config = file.Load();
        if (!config.Profiles.Remove(name))
        {
            throw new CliException(ExitCodes.Usage, $"no profile '{name}' in {file.Path}");
        }

        file.Save(config);
        context.Out.WriteLine($"removed profile '{name}'");
        return Task.FromResult(ExitCodes.Ok);
    }
}
