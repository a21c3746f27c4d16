using Jobs.Core.Json;
using static Jobs.Conformance.Tests.TestData;

namespace Jobs.Conformance.Tests;

/// <summary>Create and get: the port's <c>CreateAsync</c> / <c>GetAsync</c> contract.</summary>
public abstract partial class JobStoreConformance
{
    [SkippableFact]
    public async Task Created_job_is_visible_to_get_immediately()
    {
        var store = await StoreAsync();
        var job = NewJob("job-a", inputs: """{"region":{"lat":10.5,"tags":["a","b"]},"n":3}""", labels: ["x"]);

        Assert.True(await store.Jobs.CreateAsync(job, None));
        var stored = await store.Jobs.GetAsync("job-a", None);

        Assert.NotNull(stored);
        Assert.Equal(JobsJson.ToElement(job).GetRawText(), JobsJson.ToElement(stored).GetRawText());
    }

    [SkippableFact]
    public async Task Creating_an_existing_id_returns_false_and_changes_nothing()
    {
        var store = await StoreAsync();
        await store.Jobs.CreateAsync(NewJob("job-a", userId: "alice"), None);

        var again = await store.Jobs.CreateAsync(NewJob("job-a", userId: "mallory"), None);

        Assert.False(again);
        Assert.Equal("alice", (await store.Jobs.GetAsync("job-a", None))!.UserId);
    }

    [SkippableFact]
    public async Task Creating_an_existing_uuid_id_returns_false_whether_it_is_the_newest_or_an_older_one()
    {
        // Ids as the API makes them (UUID v7, growing with time): the embedded store skips the
        // lookup for an id above every stored one, so the newest, an older one and one in between
        // are each checked.
        var store = await StoreAsync();
        var older = Guid.CreateVersion7(T0).ToString("D");
        var newest = Guid.CreateVersion7(T0.AddMinutes(2)).ToString("D");
        var between = Guid.CreateVersion7(T0.AddMinutes(1)).ToString("D");
        Assert.True(await store.Jobs.CreateAsync(NewJob(older, userId: "alice"), None));
        Assert.True(await store.Jobs.CreateAsync(NewJob(newest, userId: "alice"), None));

        Assert.False(await store.Jobs.CreateAsync(NewJob(newest, userId: "mallory"), None));
        Assert.False(await store.Jobs.CreateAsync(NewJob(older, userId: "mallory"), None));
        Assert.True(await store.Jobs.CreateAsync(NewJob(between, userId: "bob"), None));
        Assert.False(await store.Jobs.CreateAsync(NewJob(between, userId: "mallory"), None));

        Assert.Equal("alice", (await store.Jobs.GetAsync(newest, None))!.UserId);
        Assert.Equal("alice", (await store.Jobs.GetAsync(older, None))!.UserId);
        Assert.Equal("bob", (await store.Jobs.GetAsync(between, None))!.UserId);
    }

    [SkippableFact]
    public async Task Get_of_an_unknown_id_is_null()
    {
        var store = await StoreAsync();

        Assert.Null(await store.Jobs.GetAsync("no-such-job", None));
    }

    [SkippableFact]
    public async Task Update_is_visible_to_get_immediately_after_apply_returns()
    {
        var store = await StoreAsync();
        await store.Jobs.CreateAsync(NewJob("job-a"), None);

        await store.Jobs.ApplyAsync([Update("job-a", "u1", T0.AddMinutes(1), Core.Jobs.JobStatus.Running, progress: 5)], None);

        var job = await store.Jobs.GetAsync("job-a", None);
        Assert.Equal(Core.Jobs.JobStatus.Running, job!.Status);
        Assert.Equal(5, job.Progress);
    }

    [SkippableFact]
    public async Task Mapping_is_reported_as_elasticsearch_does_with_the_strict_jobs_mapping()
    {
        var store = await StoreAsync();

        var mapping = await store.Jobs.GetMappingAsync(None);

        // GET /<index>/_mapping: {"<index>": {"mappings": {...}}}; the index name may be the concrete index.
        var mappings = Assert.Single(mapping).Value!["mappings"]!;
        Assert.Equal("strict", mappings["dynamic"]!.GetValue<string>());
        Assert.Equal("keyword", mappings["properties"]!["labels"]!["type"]!.GetValue<string>());
        Assert.StartsWith("flat", mappings["properties"]!["inputs"]!["type"]!.GetValue<string>(), StringComparison.Ordinal); // flattened or flat_object
    }

    [SkippableFact]
    public async Task Healthy_store_reports_ready()
    {
        var store = await StoreAsync();

        Assert.True((await store.Jobs.CheckHealthAsync(None)).Ready);
    }
}
