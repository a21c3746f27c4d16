using Jobs.Core.Validation;
using System.Text.Json;
using Jobs.Core.Processes;

namespace Jobs.Core.Tests.Processes;

public class ApplicationPackageReaderTests
{
    /// <summary>An Application Package of the shape POST /processes takes (docs/architecture.md, "HTTP API").</summary>
    private const string PackageExample = """
        {
          "processDescription": {
            "id": "l1b-cwl", "version": "develop", "title": "ATMS L1B",
            "jobControlOptions": ["async-execute"],
            "inputs": {
              "input_collection_id": { "title": "input collection", "schema": { "type": "string" } },
              "start_datetime": { "schema": { "type": "string", "format": "date-time" } },
              "static_dir": { "schema": { "type": "object" }, "minOccurs": 0 }
            },
            "outputs": { "output": { "schema": { "type": "string", "contentMediaType": "application/json" } } }
          },
          "executionUnit": { "type": "application/cwl", "href": "https://example.org/l1b.cwl" }
        }
        """;

    private static readonly DateTimeOffset Now = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);

    private static ReadResult<ProcessDefinition> Read(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return ApplicationPackageReader.Read(doc.RootElement, Now);
    }

    [Fact]
    public void Reads_the_documented_example()
    {
        var result = Read(PackageExample);

        Assert.True(result.IsValid, result.Errors.ToString());
        var view = result.Value!.View();
        Assert.Equal("l1b-cwl", view.Id);
        Assert.Equal("develop", view.Version);
        Assert.Equal("ATMS L1B", view.Title);
        Assert.Equal(1, view.Inputs["input_collection_id"].MinOccurs);
        Assert.Equal(0, view.Inputs["static_dir"].MinOccurs);
        Assert.Equal(["output"], view.OutputIds);
        Assert.Equal("https://example.org/l1b.cwl", result.Value.ExecutionUnit!.Value.GetProperty("href").GetString());
    }

    [Fact]
    public void Reads_the_draft_form_with_a_nested_process()
    {
        var result = Read("""{"processDescription":{"process":{"id":"p","version":"1"}},"executionUnit":[{"unit":{"class":"Workflow"}}]}""");

        Assert.True(result.IsValid, result.Errors.ToString());
        Assert.Equal(["async-execute", "dismiss"], result.Value!.View().JobControlOptions);
    }

    [Theory]
    [InlineData("""{"executionUnit":{}}""", "processDescription")]
    [InlineData("""{"processDescription":{"id":"p","version":"1"}}""", "executionUnit")]
    [InlineData("""{"processDescription":{"id":"p:q","version":"1"},"executionUnit":{}}""", "processDescription.id")]
    [InlineData("""{"processDescription":{"id":"p"},"executionUnit":{}}""", "processDescription.version")]
    [InlineData("""{"processDescription":{"id":"p","version":"1","inputs":{"x":{}}},"executionUnit":{}}""", "processDescription.inputs.x.schema")]
    [InlineData("""{"processDescription":{"id":"p","version":"1","inputs":{"x":{"schema":{},"maxOccurs":0}}},"executionUnit":{}}""", "processDescription.inputs.x.maxOccurs")]
    [InlineData("""{"processDescription":{"id":"p","version":"1","jobControlOptions":["sync-execute"]},"executionUnit":{}}""", "processDescription.jobControlOptions")]
    [InlineData("""{"processDescription":{"id":"p","version":"1","outputs":[]},"executionUnit":{}}""", "processDescription.outputs")]
    [InlineData("""[]""", "")]
    public void Names_the_offending_field(string json, string field)
    {
        var result = Read(json);

        Assert.False(result.IsValid);
        Assert.Contains(field, result.Errors.ToDictionary().Keys);
    }
}
