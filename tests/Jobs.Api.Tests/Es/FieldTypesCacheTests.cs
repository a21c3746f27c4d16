using System.Reflection;
using System.Text.Json.Nodes;
using Jobs.Api.Endpoints.Es;
using Jobs.Core.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Jobs.Api.Tests.Es;

/// <summary>typed_keys reads the mapping from the store only when its copy is old or lacks a field.</summary>
public class FieldTypesCacheTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly IJobStore _store = DispatchProxy.Create<IJobStore, MappingStore>();

    private MappingStore Mappings => (MappingStore)(object)_store;

    [Fact]
    public async Task The_mapping_is_read_once_while_the_copy_is_fresh_and_again_once_it_is_old()
    {
        var cache = new FieldTypesCache(_time);

        var first = await cache.GetAsync(_store, ["status"], CancellationToken.None);
        _time.Advance(FieldTypesCache.Lifetime - TimeSpan.FromSeconds(1));
        var second = await cache.GetAsync(_store, ["status"], CancellationToken.None);
        Assert.Equal(1, Mappings.Reads);

        Mappings.Properties["progress"] = new JsonObject { ["type"] = "integer" };
        _time.Advance(TimeSpan.FromSeconds(1));
        var third = await cache.GetAsync(_store, ["status"], CancellationToken.None);

        Assert.Equal(2, Mappings.Reads);
        Assert.Equal("keyword", first.Of("status"));
        Assert.Null(second.Of("progress"));
        Assert.Equal("integer", third.Of("progress"));
    }

    [Fact]
    public async Task A_field_the_copy_lacks_reads_the_mapping_again_at_most_once_a_second()
    {
        var cache = new FieldTypesCache(_time);
        await cache.GetAsync(_store, ["inputs.x"], CancellationToken.None);
        await cache.GetAsync(_store, ["inputs.x"], CancellationToken.None);
        Assert.Equal(1, Mappings.Reads);

        // A write maps the field dynamically.
        Mappings.Properties["inputs"] = new JsonObject { ["properties"] = new JsonObject { ["x"] = new JsonObject { ["type"] = "long" } } };
        _time.Advance(FieldTypesCache.UnknownRetry);
        var types = await cache.GetAsync(_store, ["inputs.x"], CancellationToken.None);
        await cache.GetAsync(_store, ["inputs.x", "status"], CancellationToken.None);

        Assert.Equal(2, Mappings.Reads);
        Assert.Equal("long", types.Of("inputs.x"));
    }

    /// <summary>A store that only answers <c>GetMappingAsync</c> (with <see cref="Properties"/>) and counts the calls.</summary>
    public class MappingStore : DispatchProxy
    {
        public JsonObject Properties { get; } = new() { ["status"] = new JsonObject { ["type"] = "keyword" } };

        public int Reads { get; private set; }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod?.Name != nameof(IJobStore.GetMappingAsync))
            {
                throw new NotSupportedException(targetMethod?.Name);
            }

            Reads++;
            return Task.FromResult(new JsonObject
            {
                ["jobs-v1"] = new JsonObject { ["mappings"] = new JsonObject { ["properties"] = Properties.DeepClone() } },
            });
        }
    }
}
