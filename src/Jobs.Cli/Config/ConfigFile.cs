using System.Text.Json;

namespace Jobs.Cli.Config;

/// <summary>
/// Reads and writes <c>jobsctl/config.json</c> under the user's config directory
/// (<c>$XDG_CONFIG_HOME</c>, else <c>~/.config</c>). The file holds credentials, so it is written
/// readable by its owner only.
/// </summary>
public sealed class ConfigFile(string path)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public string Path { get; } = path;

    /// <summary>The file of the user the context describes: <c>JOBSCTL_CONFIG</c>, else under XDG_CONFIG_HOME or HOME.</summary>
    public static ConfigFile For(CliContext context)
    {
        if (context.Env("JOBSCTL_CONFIG") is { } explicitPath)
        {
            return new ConfigFile(explicitPath);
        }

        var directory = context.Env("XDG_CONFIG_HOME")
            ?? System.IO.Path.Combine(context.Env("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        return new ConfigFile(System.IO.Path.Combine(directory, "jobsctl", "config.json"));
    }

    /// <summary>The saved config; an empty one when there is no file. A file that is not valid JSON is a usage error.</summary>
    public CliConfig Load()
    {
        if (!File.Exists(Path))
        {
            return new CliConfig();
        }

        try
        {
            var config = JsonSerializer.Deserialize<CliConfig>(File.ReadAllText(Path), Json) ?? new CliConfig();
            return config with { Profiles = new Dictionary<string, CliProfile>(config.Profiles, StringComparer.Ordinal) };
        }
        catch (JsonException e)
        {
            throw new CliException(ExitCodes.Usage, $"the config file {Path} is not valid JSON ({e.Message}); fix it or remove it and run 'jobsctl login' again");
        }
    }

    public void Save(CliConfig config)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var temporary = Path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(config, Json));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temporary, Path, overwrite: true);
    }
}
