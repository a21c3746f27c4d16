using Jobs.Core.Validation;
using System.Text;
using Jobs.Core.Jobs;
using Jobs.Core.Updates;

namespace Jobs.Core.Tests.Updates;

public class UpdateMessageReaderTests
{
    private const string Valid = """
        {"version":1,"id":"0f6c7c9e-1","job-id":"0193-job","token":"tok","time":"2026-11-22T10:00:00Z",
         "status":"running","stage":"stage-in","progress":40,"message":"copying inputs",
         "outputs":{"output":"s3://bucket/out/granule.nc"},
         "labels":{"add":["reprocessing-3"],"remove":[]},
         "error":{"type":"workflow-failed","message":"step l1b exited 2"}}
        """;

    private static ReadResult<UpdateMessage> Read(string json) => UpdateMessageReader.Read(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Reads_the_documented_example()
    {
        var result = Read(Valid);

        Assert.True(result.IsValid, result.Errors.ToString());
        var m = result.Value!;
        Assert.Equal("0f6c7c9e-1", m.Id);
        Assert.Equal("0193-job", m.JobId);
        Assert.Equal(JobStatus.Running, m.Status);
        Assert.Equal(40, m.Progress);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero), m.Time);
        Assert.Equal("s3://bucket/out/granule.nc", m.Outputs!["output"].GetString());
        Assert.Equal(["reprocessing-3"], m.Labels!.Add);
        Assert.Equal("workflow-failed", m.Error!.Type);
    }

    [Fact]
    public void Accepts_the_ogc_status_names()
    {
        var result = Read(Valid.Replace("\"running\"", "\"successful\"", StringComparison.Ordinal));

        Assert.Equal(JobStatus.Succeeded, result.Value!.Status);
    }

    [Theory]
    [InlineData("\"progress\":40", "\"progress\":\"forty\"", "progress")]
    [InlineData("\"progress\":40", "\"progress\":140", "progress")]
    [InlineData("\"status\":\"running\"", "\"status\":\"done\"", "status")]
    [InlineData("\"time\":\"2026-11-22T10:00:00Z\"", "\"time\":\"2026-11-22T10:00:00\"", "time")]
    [InlineData("\"time\":\"2026-11-22T10:00:00Z\"", "\"time\":\"yesterday\"", "time")]
    [InlineData("\"version\":1", "\"version\":2", "version")]
    [InlineData("\"labels\":{\"add\":[\"reprocessing-3\"],\"remove\":[]}", "\"labels\":[\"x\"]", "labels")]
    [InlineData("\"labels\":{\"add\":[\"reprocessing-3\"],\"remove\":[]}", "\"labels\":{\"add\":[1]}", "labels.add[0]")]
    [InlineData("\"labels\":{\"add\":[\"reprocessing-3\"],\"remove\":[]}", "\"labels\":{\"add\":[\"\"]}", "labels.add[0]")]
    [InlineData("\"token\":\"tok\",", "", "token")]
    [InlineData("\"job-id\":\"0193-job\"", "\"job-id\":\"a/b\"", "job-id")]
    [InlineData("\"stage\":\"stage-in\"", "\"stauts\":\"x\"", "stauts")]
    [InlineData("\"outputs\":{\"output\":\"s3://bucket/out/granule.nc\"}", "\"outputs\":[\"s3://x\"]", "outputs")]
    [InlineData("\"error\":{\"type\":\"workflow-failed\",\"message\":\"step l1b exited 2\"}", "\"error\":\"boom\"", "error")]
    public void Names_the_offending_field(string from, string to, string field)
    {
        var json = Valid.Replace(from, to, StringComparison.Ordinal);
        Assert.NotEqual(Valid, json);

        var result = Read(json);

        Assert.False(result.IsValid);
        Assert.Contains(field, result.Errors.ToDictionary().Keys);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1,2]")]
    [InlineData("\"text\"")]
    [InlineData("")]
    public void Refuses_what_is_not_a_json_object(string body)
    {
        var result = Read(body);

        Assert.False(result.IsValid);
        Assert.Contains("", result.Errors.ToDictionary().Keys);
    }

    [Fact]
    public void Refuses_a_message_over_256_KiB()
    {
        var big = Valid.Replace("copying inputs", new string('x', UpdateMessage.MaxBytes), StringComparison.Ordinal);

        var result = Read(big);

        Assert.False(result.IsValid);
        Assert.Contains("256 KiB", result.Errors.ToString());
    }

    [Fact]
    public void Writer_output_reads_back_equal()
    {
        var original = Read(Valid).Value!;

        var again = UpdateMessageReader.Read(UpdateMessageWriter.ToUtf8(original));

        Assert.True(again.IsValid, again.Errors.ToString());
        Assert.Equal(UpdateMessageWriter.ToJson(original), UpdateMessageWriter.ToJson(again.Value!));
    }
}
