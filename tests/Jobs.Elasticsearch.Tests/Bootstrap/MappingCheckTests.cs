using System.Text.Json.Nodes;
using Jobs.Core.Search;
using Jobs.Elasticsearch.Bootstrap;

namespace Jobs.Elasticsearch.Tests.Bootstrap;

public sealed class MappingCheckTests
{
    [Fact]
    public void The_same_mapping_is_compatible()
    {
        Assert.Empty(MappingCheck.Differences(JobsMapping.Load(), JobsMapping.Load()));
    }

    [Fact]
    public void Extra_fields_and_other_parameters_are_compatible()
    {
        var actual = JobsMapping.Load();
        actual["properties"]!["site"] = new JsonObject { ["type"] = "keyword" };
        actual["properties"]!["created"]!["format"] = "strict_date_optional_time";
        actual["dynamic"] = "false";

        Assert.Empty(MappingCheck.Differences(JobsMapping.Load(), actual));
    }

    [Fact]
    public void A_sub_field_of_another_type_is_a_difference()
    {
        var actual = JobsMapping.Load();
        actual["properties"]!["message"]!["fields"]!["keyword"]!["type"] = "text";

        Assert.Equal(["[message.keyword] is text, expected keyword"], MappingCheck.Differences(JobsMapping.Load(), actual));
    }

    [Fact]
    public void An_indexed_object_where_the_store_expects_enabled_false_is_a_difference()
    {
        var actual = JobsMapping.Load();
        actual["properties"]!["request"] = new JsonObject { ["type"] = "object" };

        Assert.Equal(["[request] is indexed, expected \"enabled\": false"], MappingCheck.Differences(JobsMapping.Load(), actual));
    }

    [Fact]
    public void A_missing_nested_property_is_named_by_its_path()
    {
        var actual = JobsMapping.Load();
        actual["properties"]!["error"]!["properties"]!.AsObject().Remove("type");

        Assert.Equal(["[error.type] is missing"], MappingCheck.Differences(JobsMapping.Load(), actual));
    }

    [Fact]
    public void An_index_without_mappings_misses_every_field()
    {
        var differences = MappingCheck.Differences(JobsMapping.Load(), new JsonObject());

        Assert.Equal(JobsMapping.Load()["properties"]!.AsObject().Count, differences.Count);
    }

    [Fact]
    public void Additions_hold_only_the_missing_fields_and_none_when_nothing_is_missing()
    {
        var actual = JobsMapping.Load();
        actual["properties"]!.AsObject().Remove("merge");
        actual["properties"]!["status"] = new JsonObject { ["type"] = "text" };

        Assert.Equal("""{"properties":{"merge":{"type":"object","enabled":false}}}""", MappingCheck.Additions(JobsMapping.Load(), actual)!.ToJsonString());
        Assert.Null(MappingCheck.Additions(JobsMapping.Load(), JobsMapping.Load()));
    }
}
