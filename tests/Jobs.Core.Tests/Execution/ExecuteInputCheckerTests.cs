using Jobs.Core.Validation;
using System.Text.Json;
using Jobs.Core.Execution;
using Jobs.Core.Processes;

namespace Jobs.Core.Tests.Execution;

public class ExecuteInputCheckerTests
{
    private static readonly ProcessDescriptionView Process = ProcessDescriptionView.From(JsonDocument.Parse("""
        {"id":"l1b-cwl","version":"develop",
         "inputs":{
           "input_collection_id":{"schema":{"type":"string"}},
           "start_datetime":{"schema":{"type":"string","format":"date-time"}},
           "static_dir":{"schema":{"type":"object"},"minOccurs":0},
           "granules":{"schema":{"type":"string"},"minOccurs":0,"maxOccurs":"unbounded"},
           "level":{"schema":{"type":"integer","minimum":0,"maximum":3},"minOccurs":0},
           "mode":{"schema":{"type":"string","enum":["fast","full"]},"minOccurs":0}
         },
         "outputs":{"output":{"schema":{"type":"string"}}}}
        """).RootElement);

    private static FieldErrors Check(string inputs, string outputs = "{}")
    {
        using var doc = JsonDocument.Parse($$"""{"inputs":{{inputs}},"outputs":{{outputs}}}""");
        var request = ExecuteRequestReader.Read(doc.RootElement);
        Assert.True(request.IsValid, request.Errors.ToString());
        return ExecuteInputChecker.Check(request.Value!, Process);
    }

    [Fact]
    public void Accepts_a_complete_request()
    {
        var errors = Check("""
            {"input_collection_id":"L1A","start_datetime":"2016-01-14T08:00:00Z","static_dir":{"class":"Directory","path":"/tmp"},
             "granules":["a","b"],"level":2,"mode":"fast"}
            """, """{"output":{"transmissionMode":"reference"}}""");

        Assert.False(errors.Any, errors.ToString());
    }

    [Fact]
    public void Accepts_qualified_values_and_references()
    {
        var errors = Check("""{"input_collection_id":{"value":"L1A"},"start_datetime":{"href":"https://example.org/t.txt"}}""");

        Assert.False(errors.Any, errors.ToString());
    }

    [Theory]
    [InlineData("""{"start_datetime":"2016-01-14T08:00:00Z"}""", "inputs.input_collection_id", "required")]
    [InlineData("""{"input_collection_id":"L1A","start_datetime":"2016-01-14T08:00:00Z","bogus":1}""", "inputs.bogus", "not an input")]
    [InlineData("""{"input_collection_id":5,"start_datetime":"2016-01-14T08:00:00Z"}""", "inputs.input_collection_id", "must be a string")]
    [InlineData("""{"input_collection_id":"L1A","start_datetime":"tomorrow"}""", "inputs.start_datetime", "date-time")]
    [InlineData("""{"input_collection_id":["a","b"],"start_datetime":"2016-01-14T08:00:00Z"}""", "inputs.input_collection_id", "one value")]
    [InlineData("""{"input_collection_id":"L1A","start_datetime":"2016-01-14T08:00:00Z","level":1.5}""", "inputs.level", "whole number")]
    [InlineData("""{"input_collection_id":"L1A","start_datetime":"2016-01-14T08:00:00Z","level":7}""", "inputs.level", "at most 3")]
    [InlineData("""{"input_collection_id":"L1A","start_datetime":"2016-01-14T08:00:00Z","mode":"slow"}""", "inputs.mode", "one of")]
    [InlineData("""{"input_collection_id":"L1A","start_datetime":"2016-01-14T08:00:00Z","granules":["a",3]}""", "inputs.granules[1]", "must be a string")]
    [InlineData("""{"input_collection_id":"L1A","start_datetime":"2016-01-14T08:00:00Z","static_dir":"/tmp"}""", "inputs.static_dir", "must be an object")]
    public void Names_the_offending_input(string inputs, string field, string words)
    {
        var errors = Check(inputs).ToDictionary();

        Assert.True(errors.ContainsKey(field), string.Join(", ", errors.Keys));
        Assert.Contains(words, string.Join(" ", errors[field]), StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_an_unknown_output()
    {
        var errors = Check("""{"input_collection_id":"L1A","start_datetime":"2016-01-14T08:00:00Z"}""", """{"preview":{}}""");

        Assert.Contains("outputs.preview", errors.ToDictionary().Keys);
    }
}
