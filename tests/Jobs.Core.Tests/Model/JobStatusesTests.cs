using Jobs.Core.Jobs;

namespace Jobs.Core.Tests.Model;

public class JobStatusesTests
{
    [Theory]
    [InlineData("submitted", JobStatus.Submitted, "accepted")]
    [InlineData("running", JobStatus.Running, "running")]
    [InlineData("succeeded", JobStatus.Succeeded, "successful")]
    [InlineData("failed", JobStatus.Failed, "failed")]
    [InlineData("dismissed", JobStatus.Dismissed, "dismissed")]
    public void Index_and_ogc_names_map_both_ways(string index, JobStatus status, string ogc)
    {
        Assert.True(JobStatuses.TryParse(index, out var fromIndex));
        Assert.True(JobStatuses.TryParse(ogc, out var fromOgc));
        Assert.Equal(status, fromIndex);
        Assert.Equal(status, fromOgc);
        Assert.Equal(index, status.ToIndexValue());
        Assert.Equal(ogc, status.ToOgcValue());
    }

    [Theory]
    [InlineData("Running")]
    [InlineData("queued")]
    [InlineData("")]
    [InlineData(null)]
    public void Unknown_names_do_not_parse(string? value) => Assert.False(JobStatuses.TryParse(value, out _));

    [Fact]
    public void Rank_orders_submitted_running_terminal()
    {
        Assert.True(JobStatus.Submitted.Rank() < JobStatus.Running.Rank());
        Assert.All([JobStatus.Succeeded, JobStatus.Failed, JobStatus.Dismissed], s =>
        {
            Assert.True(s.IsTerminal());
            Assert.True(JobStatus.Running.Rank() < s.Rank());
        });
        Assert.False(JobStatus.Running.IsTerminal());
    }
}

public class UpdateTokenTests
{
    [Fact]
    public void New_tokens_are_128_bit_and_distinct()
    {
        var tokens = Enumerable.Range(0, 100).Select(_ => UpdateToken.New()).ToHashSet();

        Assert.Equal(100, tokens.Count);
        Assert.All(tokens, t => Assert.Equal(16, Convert.FromBase64String(t.Replace('-', '+').Replace('_', '/') + "==").Length));
    }

    [Fact]
    public void Only_the_matching_token_verifies()
    {
        var token = UpdateToken.New();
        var hash = UpdateToken.Hash(token);

        Assert.Equal(64, hash.Length);
        Assert.DoesNotContain(token, hash, StringComparison.Ordinal);
        Assert.True(UpdateToken.Verify(token, hash));
        Assert.False(UpdateToken.Verify(UpdateToken.New(), hash));
        Assert.False(UpdateToken.Verify(null, hash));
        Assert.False(UpdateToken.Verify(token, null));
    }

    [Fact]
    public void Job_ids_are_uuid_v7_ordered_by_creation()
    {
        var first = JobIds.New(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var second = JobIds.New(new DateTimeOffset(2026, 1, 1, 0, 0, 1, TimeSpan.Zero));

        Assert.Equal(7, Guid.Parse(first).Version);
        Assert.True(string.CompareOrdinal(first, second) < 0);
        Assert.True(JobIds.IsWellFormed(first));
        Assert.False(JobIds.IsWellFormed("a/b"));
        Assert.False(JobIds.IsWellFormed(new string('x', 129)));
    }
}

public class JobIdsTests
{
    [Fact]
    public void Ids_made_in_the_same_millisecond_still_increase()
    {
        var now = new DateTimeOffset(2026, 5, 5, 5, 5, 5, TimeSpan.Zero);

        var ids = Enumerable.Range(0, 1000).Select(_ => JobIds.New(now)).ToList();

        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
        Assert.Equal(1000, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Equal(7, Guid.Parse(id).Version));
    }
}
