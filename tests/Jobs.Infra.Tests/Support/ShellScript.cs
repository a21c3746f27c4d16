using System.Text.RegularExpressions;

namespace Jobs.Infra.Tests.Support;

/// <summary>A shell script of the repository: its top-level <c>NAME=value</c> assignments and file properties.</summary>
public sealed partial class ShellScript(string relativePath)
{
    public string RelativePath { get; } = relativePath;

    public string Text { get; } = RepoFiles.ReadText(relativePath);

    /// <summary>Assignments at the start of a line, unquoted (<c>QUEUE_NAME=jobs-updates</c>).</summary>
    public Dictionary<string, string> Variables => Assignment().Matches(Text)
        .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.Trim('"', '\''));

    /// <summary>Executable by its owner on disk (git keeps the mode: a checkout gives 755).</summary>
    public bool IsExecutable =>
        OperatingSystem.IsWindows() || File.GetUnixFileMode(RepoFiles.PathOf(RelativePath)).HasFlag(UnixFileMode.UserExecute);

    public void AssertRunsAsAStrictShellScript()
    {
        Assert.True(IsExecutable, $"{RelativePath} is not executable (git update-index --chmod=+x)");
        Assert.DoesNotContain("\r", Text, StringComparison.Ordinal);
        Assert.Matches("^#!/(usr/)?bin/(env )?bash\n", Text);
        Assert.Contains("set -euo pipefail", Text, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^([A-Z][A-Z0-9_]*)=(\S*)$", RegexOptions.Multiline)]
    private static partial Regex Assignment();
}
