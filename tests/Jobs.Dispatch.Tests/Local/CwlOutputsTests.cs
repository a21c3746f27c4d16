using System.Text.Json;
using Jobs.Dispatch.Local;

namespace Jobs.Dispatch.Tests.Local;

/// <summary>cwltool's output object as job outputs.</summary>
public sealed class CwlOutputsTests
{
    [Fact]
    public void Files_become_their_locations_arrays_lists_of_them_values_stay_and_nulls_are_left_out()
    {
        var outputs = CwlOutputs.Map(JsonDocument.Parse("""
            {"report": {"class": "File", "location": "file:///runs/j/outputs/r.txt", "size": 3},
             "granules": [{"class": "File", "location": "file:///a"}, {"class": "Directory", "location": "file:///b"}],
             "count": 3, "name": "x", "nothing": null, "meta": {"k": "v"}}
            """).RootElement);

        Assert.Equal("file:///runs/j/outputs/r.txt", outputs["report"].GetString());
        Assert.Equal(["file:///a", "file:///b"], outputs["granules"].EnumerateArray().Select(e => e.GetString()!));
        Assert.Equal(3, outputs["count"].GetInt32());
        Assert.Equal("x", outputs["name"].GetString());
        Assert.Equal("v", outputs["meta"].GetProperty("k").GetString());
        Assert.False(outputs.ContainsKey("nothing"));
    }
}
