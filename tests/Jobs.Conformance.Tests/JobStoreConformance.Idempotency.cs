using Jobs.Core.Jobs;
using static Jobs.Conformance.Tests.TestData;

namespace Jobs.Conformance.Tests;

/// <summary>The port's <c>FindByIdempotencyKeyAsync</c>: how an execute with an <c>Idempotency-Key</c> finds its job.</summary>
public abstract partial class JobStoreConformance
{
    [SkippableFact]
    public async Task A_job_is_found_by_its_idempotency_key_as_soon_as_its_create_returns()
    {
        var store = await StoreAsync();
        var record = new IdempotencyRecord(IdempotencyRecord.HashKey("alice", "k1"), IdempotencyRecord.HashRequest("p:1", "{}"u8));
        await store.Jobs.CreateAsync(NewJob("job-k0"), None);
        await store.Jobs.CreateAsync(NewJob("job-k1", userId: "alice") with { Idempotency = record }, None);

        var found = await store.Jobs.FindByIdempotencyKeyAsync(record.KeySha256, None);

        Assert.Equal("job-k1", found?.Id);
        Assert.Equal(record, found!.Idempotency);
        Assert.Null(await store.Jobs.FindByIdempotencyKeyAsync(IdempotencyRecord.HashKey("bob", "k1"), None));
    }

    [SkippableFact]
    public async Task The_newest_job_of_a_key_is_found_and_the_record_survives_updates()
    {
        var store = await StoreAsync();
        var record = new IdempotencyRecord(IdempotencyRecord.HashKey("alice", "k2"), IdempotencyRecord.HashRequest("p:1", "{}"u8));
        await store.Jobs.CreateAsync(NewJob("job-old", created: T0) with { Idempotency = record }, None);
        await store.Jobs.CreateAsync(NewJob("job-new", created: T0.AddDays(2)) with { Idempotency = record }, None);
        await store.Jobs.ApplyAsync([Update("job-new", "u1", T0.AddDays(2).AddMinutes(1), JobStatus.Running)], None);

        var found = await store.Jobs.FindByIdempotencyKeyAsync(record.KeySha256, None);

        Assert.Equal("job-new", found?.Id);
        Assert.Equal(JobStatus.Running, found!.Status);
        Assert.Equal(record, found.Idempotency);
    }
}
