using System.Text.Json;
using Jobs.Cli.Updates;
using Jobs.Core.Jobs;

namespace Jobs.Cli.Tests.Updates;

public sealed class UpdateMessageFactoryTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Builds_a_version_1_message_with_a_fresh_update_id_and_the_time_now()
    {
        var (a, body, _) = UpdateMessageFactory.Build(new UpdateRequest("job-1", "tok", Status: "running", Stage: "stage-in", Progress: 5), Now);
        var (b, _, _) = UpdateMessageFactory.Build(new UpdateRequest("job-1", "tok"), Now);

        Assert.NotNull(a);
        Assert.NotEqual(a.Id, b!.Id);
        Assert.Equal(Now, a.Time);
        Assert.Equal(JobStatus.Running, a.Status);
        using var json = JsonDocument.Parse(body!);
        Assert.Equal(1, json.RootElement.GetProperty("version").GetInt32());
        Assert.Equal("job-1", json.RootElement.GetProperty("job-id").GetString());
        Assert.Equal("2026-11-22T10:00:00Z", json.RootElement.GetProperty("time").GetString());
    }

    [Fact]
    public void Outputs_are_name_value_pairs_and_a_repeated_name_becomes_a_list()
    {
        var (m, _, _) = UpdateMessageFactory.Build(new UpdateRequest("job-1", "tok", Outputs:
        [
            "output=s3://bucket/out/a.nc", "output=s3://bucket/out/b.nc", "catalog={\"href\":\"s3://bucket/catalog.json\"}", "log=https://x/y?a=b=c",
        ]), Now);

        Assert.Equal("""["s3://bucket/out/a.nc","s3://bucket/out/b.nc"]""", m!.Outputs!["output"].GetRawText());
        Assert.Equal("s3://bucket/catalog.json", m.Outputs["catalog"].GetProperty("href").GetString());
        Assert.Equal("https://x/y?a=b=c", m.Outputs["log"].GetString());
    }

    [Theory]
    [InlineData("successful", JobStatus.Succeeded)]
    [InlineData("accepted", JobStatus.Submitted)]
    [InlineData("Failed", JobStatus.Failed)]
    public void OGC_status_names_and_any_case_are_accepted(string status, JobStatus expected)
    {
        var (m, _, _) = UpdateMessageFactory.Build(new UpdateRequest("job-1", "tok", Status: status), Now);

        Assert.Equal(expected, m!.Status);
    }

    [Fact]
    public void An_error_message_alone_gets_the_default_error_type()
    {
        var (m, _, _) = UpdateMessageFactory.Build(new UpdateRequest("job-1", "tok", Status: "failed", ErrorMessage: "step l1b exited 2"), Now);

        Assert.Equal(new JobError("workflow-failed", "step l1b exited 2"), m!.Error);
    }

    [Theory]
    [InlineData("done", null, null, "status")]
    [InlineData(null, 101, null, "progress")]
    [InlineData(null, null, "no-equals-sign", "outputs")]
    public void Invalid_options_name_the_offending_field(string? status, int? progress, string? output, string field)
    {
        var (m, _, errors) = UpdateMessageFactory.Build(
            new UpdateRequest("job-1", "tok", Status: status, Progress: progress, Outputs: output is null ? null : [output]), Now);

        Assert.Null(m);
        Assert.Contains(field, errors.ToString());
    }
}
