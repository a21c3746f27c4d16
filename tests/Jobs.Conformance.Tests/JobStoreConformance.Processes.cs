using static Jobs.Conformance.Tests.TestData;

namespace Jobs.Conformance.Tests;

/// <summary>The process registry: deploy, describe (one version or the latest), list, undeploy.</summary>
public abstract partial class JobStoreConformance
{
    [SkippableFact]
    public async Task Deployed_process_is_described_by_version_and_as_latest()
    {
        var store = await StoreAsync();
        Assert.True(await store.Processes.DeployAsync(Process("l1b", "1.0", T0), None));
        Assert.True(await store.Processes.DeployAsync(Process("l1b", "2.0", T0.AddMinutes(1)), None));

        Assert.Equal("1.0", (await store.Processes.GetAsync("l1b", "1.0", None))!.Version);
        Assert.Equal("2.0", (await store.Processes.GetAsync("l1b", null, None))!.Version);
        Assert.Null(await store.Processes.GetAsync("l1b", "3.0", None));
        Assert.Null(await store.Processes.GetAsync("nope", null, None));
    }

    [SkippableFact]
    public async Task Deploying_an_existing_id_and_version_returns_false_and_keeps_the_first()
    {
        var store = await StoreAsync();
        await store.Processes.DeployAsync(Process("l1b", "1.0", T0), None);

        Assert.False(await store.Processes.DeployAsync(Process("l1b", "1.0", T0.AddDays(1)), None));
        Assert.Equal(T0, (await store.Processes.GetAsync("l1b", "1.0", None))!.Deployed);
    }

    [SkippableFact]
    public async Task List_is_ordered_by_id_then_deployment_time()
    {
        var store = await StoreAsync();
        await store.Processes.DeployAsync(Process("zeta", "1", T0), None);
        await store.Processes.DeployAsync(Process("alpha", "2", T0.AddMinutes(2)), None);
        await store.Processes.DeployAsync(Process("alpha", "1", T0.AddMinutes(1)), None);

        var list = await store.Processes.ListAsync(None);

        Assert.Equal(["alpha:1", "alpha:2", "zeta:1"], list.Select(p => $"{p.Id}:{p.Version}"));
        Assert.Equal("https://example.org/zeta.cwl", list[2].ExecutionUnit!.Value.GetProperty("href").GetString());
    }

    [SkippableFact]
    public async Task Undeploying_one_version_keeps_the_others_and_the_latest_moves_back()
    {
        var store = await StoreAsync();
        await store.Processes.DeployAsync(Process("l1b", "1.0", T0), None);
        await store.Processes.DeployAsync(Process("l1b", "2.0", T0.AddMinutes(1)), None);

        Assert.Equal(1, await store.Processes.UndeployAsync("l1b", "2.0", None));

        Assert.Equal("1.0", (await store.Processes.GetAsync("l1b", null, None))!.Version);
        Assert.Equal(0, await store.Processes.UndeployAsync("l1b", "2.0", None));
    }

    [SkippableFact]
    public async Task Undeploying_without_a_version_removes_every_version()
    {
        var store = await StoreAsync();
        await store.Processes.DeployAsync(Process("l1b", "1.0", T0), None);
        await store.Processes.DeployAsync(Process("l1b", "2.0", T0.AddMinutes(1)), None);
        await store.Processes.DeployAsync(Process("other", "1.0", T0), None);

        Assert.Equal(2, await store.Processes.UndeployAsync("l1b", null, None));

        Assert.Equal(["other"], (await store.Processes.ListAsync(None)).Select(p => p.Id));
        Assert.Equal(0, await store.Processes.UndeployAsync("l1b", null, None));
    }
}
