using System.Diagnostics;
using Jobs.Infra.Tests.Support;

namespace Jobs.Infra.Tests.Template;

/// <summary>
/// AWS's own linter (cfn-lint, which also runs the SAM transform) on template.yaml, where it is
/// installed (<c>pip install cfn-lint</c>); otherwise skipped, saying so.
/// </summary>
public sealed class CfnLintTests
{
    [SkippableFact]
    public async Task Cfn_lint_finds_nothing()
    {
        var cfnLint = FindOnPath("cfn-lint");
        Skip.If(cfnLint is null, "cfn-lint is not on the PATH (pip install cfn-lint to run this check)");

        var start = new ProcessStartInfo(cfnLint!, ["--format", "parseable", "template.yaml"])
        {
            WorkingDirectory = RepoFiles.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, $"cfn-lint exited {process.ExitCode}:\n{output}{errors}");
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
}
