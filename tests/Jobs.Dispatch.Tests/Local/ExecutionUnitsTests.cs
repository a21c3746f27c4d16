using System.Text.Json;
using Jobs.Dispatch.Local;

namespace Jobs.Dispatch.Tests.Local;

/// <summary>Which workflow cwltool is given for each form of execution unit, and the refusals.</summary>
public sealed class ExecutionUnitsTests : IDisposable
{
    private readonly string _run = Directory.CreateTempSubdirectory("jobs-units").FullName;

    public void Dispose() => Directory.Delete(_run, recursive: true);

    private CwlTarget Resolve(string json) => ExecutionUnits.Resolve(JsonDocument.Parse(json).RootElement, _run);

    [Fact]
    public void An_http_href_is_passed_as_is()
    {
        Assert.Equal("https://example.org/w.cwl", Resolve("""{"type": "application/cwl", "href": "https://example.org/w.cwl"}""").Workflow);
    }

    [Fact]
    public void A_file_url_or_a_path_must_exist()
    {
        var file = Path.Combine(_run, "w.cwl");
        File.WriteAllText(file, "cwlVersion: v1.2");

        Assert.Equal(file, Resolve($$"""{"href": "{{new Uri(file).AbsoluteUri}}"}""").Workflow);
        Assert.Equal(file, Resolve($$"""{"href": "{{file}}"}""").Workflow);
        Assert.Contains("does not exist", Resolve($$"""{"href": "{{file}}.missing"}""").Error);
        Assert.Contains("neither http(s), file: nor a path", Resolve("""{"href": "s3://bucket/w.cwl"}""").Error);
    }

    [Fact]
    public void An_inline_unit_object_or_text_is_written_into_the_run_directory()
    {
        var fromObject = Resolve("""{"unit": {"cwlVersion": "v1.2", "class": "CommandLineTool"}}""").Workflow!;
        Assert.Equal("CommandLineTool", JsonDocument.Parse(File.ReadAllText(fromObject)).RootElement.GetProperty("class").GetString());

        var fromText = Resolve("""{"type": "application/cwl+yaml", "value": "cwlVersion: v1.2\nclass: Workflow\n"}""").Workflow!;
        Assert.Equal("cwlVersion: v1.2\nclass: Workflow\n", File.ReadAllText(fromText));
    }

    [Fact]
    public void An_array_takes_its_first_CWL_unit_and_other_types_are_refused()
    {
        Assert.Equal("https://example.org/w.cwl", Resolve("""[{"type": "docker", "image": "x"}, {"type": "application/cwl", "href": "https://example.org/w.cwl"}]""").Workflow);
        Assert.Contains("is not CWL", Resolve("""{"type": "application/x-python", "href": "https://example.org/x.py"}""").Error);
        Assert.Contains("neither an href nor an inline unit", Resolve("""{"type": "application/cwl"}""").Error);
        Assert.Contains("no execution unit", ExecutionUnits.Resolve(null, _run).Error);
    }
}
