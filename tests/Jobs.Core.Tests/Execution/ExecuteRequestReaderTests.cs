using Jobs.Core.Validation;
using System.Text.Json;
using Jobs.Core.Execution;

namespace Jobs.Core.Tests.Execution;

public class ExecuteRequestReaderTests
{
    /// <summary>The body of the Unity SDS jobs-database curl example (the README's quick start), verbatim: examples/seed-execute.json.</summary>
    private static readonly string SeedExample = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "examples", "seed-execute.json"));

    private static ReadResult<ExecuteRequest> Read(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return ExecuteRequestReader.Read(doc.RootElement);
    }

    [Fact]
    public void Reads_the_seed_encoding()
    {
        var result = Read(SeedExample);

        Assert.True(result.IsValid, result.Errors.ToString());
        var r = result.Value!;
        Assert.Equal("async", r.Mode);
        Assert.Equal("document", r.Response);
        Assert.Equal("SNDR_SNPP_ATMS_L1A___1", r.Inputs["input_collection_id"].GetString());
        Assert.Equal(4, r.Inputs.Count);
        Assert.Equal("reference", r.Outputs["output"].TransmissionMode);
        Assert.Equal(["re-processing-3", "release23.3", "08-08-23"], r.Labels);
    }

    [Fact]
    public void Reads_the_ogc_encoding_to_the_same_model()
    {
        var result = Read("""
            {"inputs":{"input_collection_id":"SNDR_SNPP_ATMS_L1A___1","static_dir":{"class":"Directory","path":"/tmp"}},
             "outputs":{"output":{"transmissionMode":"reference"}},"response":"document",
             "subscriber":{"successUri":"https://example.org/done"}}
            """);

        Assert.True(result.IsValid, result.Errors.ToString());
        var r = result.Value!;
        Assert.Equal("SNDR_SNPP_ATMS_L1A___1", r.Inputs["input_collection_id"].GetString());
        Assert.Equal(JsonValueKind.Object, r.Inputs["static_dir"].ValueKind);
        Assert.Equal("reference", r.Outputs["output"].TransmissionMode);
        Assert.Equal("https://example.org/done", r.Subscriber!.SuccessUri);
        Assert.Empty(r.Labels);
        Assert.Null(r.Mode);
    }

    [Fact]
    public void Repeated_seed_input_ids_collect_into_an_array()
    {
        var result = Read("""{"inputs":[{"id":"granule","data":"a"},{"id":"granule","data":"b"},{"id":"ref","href":"https://x/y.nc","type":"application/x-netcdf"}]}""");

        Assert.True(result.IsValid, result.Errors.ToString());
        Assert.Equal(["a", "b"], result.Value!.Inputs["granule"].EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("https://x/y.nc", result.Value.Inputs["ref"].GetProperty("href").GetString());
    }

    [Fact]
    public void Empty_labels_are_the_same_as_none()
    {
        Assert.Empty(Read("""{"labels":[]}""").Value!.Labels);
    }

    [Fact]
    public void Stored_request_keeps_settings_but_not_inputs_or_labels()
    {
        var stored = Read(SeedExample).Value!.ToStoredRequest();

        Assert.Equal("async", stored.GetProperty("mode").GetString());
        Assert.Equal("document", stored.GetProperty("response").GetString());
        Assert.Equal("reference", stored.GetProperty("outputs").GetProperty("output").GetProperty("transmissionMode").GetString());
        Assert.False(stored.TryGetProperty("inputs", out _));
        Assert.False(stored.TryGetProperty("labels", out _));
    }

    [Theory]
    [InlineData("""{"labels":"a"}""", "labels")]
    [InlineData("""{"labels":["a",2]}""", "labels[1]")]
    [InlineData("""{"labels":[""]}""", "labels[0]")]
    [InlineData("""{"inputs":"x"}""", "inputs")]
    [InlineData("""{"inputs":[{"data":"x"}]}""", "inputs[0].id")]
    [InlineData("""{"inputs":[{"id":"x"}]}""", "inputs[0]")]
    [InlineData("""{"inputs":[3]}""", "inputs[0]")]
    [InlineData("""{"outputs":[{"id":"o","transmissionMode":"email"}]}""", "outputs[0].transmissionMode")]
    [InlineData("""{"outputs":{"o":"reference"}}""", "outputs.o")]
    [InlineData("""{"response":"pdf"}""", "response")]
    [InlineData("""{"mode":"later"}""", "mode")]
    [InlineData("""{"lables":["a"]}""", "lables")]
    [InlineData("""{"subscriber":{"successUri":"not a uri"}}""", "subscriber.successUri")]
    [InlineData("""[]""", "")]
    public void Names_the_offending_field(string json, string field)
    {
        var result = Read(json);

        Assert.False(result.IsValid);
        Assert.Contains(field, result.Errors.ToDictionary().Keys);
    }
}
