using System.Text.RegularExpressions;
using Jobs.Infra.Tests.Support;

namespace Jobs.Infra.Tests.Build;

/// <summary>
/// `sam build` can build every function without Amazon.Lambda.Tools: a makefile target per
/// function that publishes the project whose apphost the function's Handler names.
/// </summary>
public sealed partial class LambdaBuildTests
{
    private static readonly SamTemplate Template = SamTemplate.Load();

    public static TheoryData<string> Functions() => [.. Template.OfType("AWS::Serverless::Function")];

    [Theory]
    [MemberData(nameof(Functions))]
    public void The_function_is_built_by_its_makefile_target_from_the_repository_root(string function)
    {
        var metadata = SamTemplate.Map(Template.Resources[function], "Metadata");
        Assert.Equal("makefile", metadata["BuildMethod"]);
        // The project references reach across the tree: the whole repository is the build source.
        Assert.Equal(".", Template.Properties(function)["CodeUri"]);

        var recipe = Recipe((string)metadata["ContextPath"]!, function);

        Assert.Contains($"bash {BuildScript} ", recipe[0], StringComparison.Ordinal);
        Assert.Contains("\"$(ARTIFACTS_DIR)\"", recipe[0], StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public void The_target_publishes_the_project_whose_apphost_is_the_handler(string function)
    {
        var metadata = SamTemplate.Map(Template.Resources[function], "Metadata");
        var project = Project().Match(Recipe((string)metadata["ContextPath"]!, function)[0]).Groups[1].Value;

        Assert.True(RepoFiles.Exists(project), $"{function}: no project {project}");
        Assert.Equal(RepoFiles.AssemblyNameOf(project), Template.Properties(function)["Handler"]);
    }

    [Fact]
    public void The_build_script_is_a_strict_executable_shell_script()
    {
        var script = new ShellScript(BuildScript);

        script.AssertRunsAsAStrictShellScript();
        // Framework-dependent for the managed runtime by default, the apphost made executable.
        Assert.Contains("self_contained=false", script.Text, StringComparison.Ordinal);
        Assert.Contains("chmod 755 \"$out/$assembly\"", script.Text, StringComparison.Ordinal);
    }

    private const string BuildScript = "infra/scripts/build-lambda.sh";

    /// <summary>The recipe lines of <c>build-{function}</c> in the Makefile under <paramref name="contextPath"/>.</summary>
    private static List<string> Recipe(string contextPath, string function)
    {
        var makefile = RepoFiles.ReadText($"{contextPath}/Makefile");
        Assert.DoesNotContain("\r", makefile, StringComparison.Ordinal);
        var lines = makefile.Split('\n');
        var start = Array.IndexOf(lines, $"build-{function}:");
        Assert.True(start >= 0, $"{contextPath}/Makefile has no target build-{function}");

        var recipe = lines.Skip(start + 1).TakeWhile(l => l.Length > 0).ToList();
        Assert.NotEmpty(recipe);
        Assert.All(recipe, line => Assert.StartsWith("\t", line, StringComparison.Ordinal));
        return recipe.Select(l => l.Trim()).ToList();
    }

    [GeneratedRegex(@"build-lambda\.sh (\S+\.csproj)")]
    private static partial Regex Project();
}
