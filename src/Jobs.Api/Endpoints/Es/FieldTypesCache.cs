using Jobs.Core.Storage;

namespace Jobs.Api.Endpoints.Es;

/// <summary>
/// The field types <c>typed_keys</c> reads, kept between searches: on the Elasticsearch store the
/// mapping is a round trip to the cluster, and it changes rarely (bootstrap, a migration, a field
/// a write mapped dynamically). A copy serves for <see cref="Lifetime"/>; a search naming a field
/// the copy does not know reads the mapping again, at most once per <see cref="UnknownRetry"/> (a
/// field mapped nowhere is then judged by its bucket keys, see <see cref="TypedKeys"/>).
/// </summary>
internal sealed class FieldTypesCache(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    public static readonly TimeSpan UnknownRetry = TimeSpan.FromSeconds(1);

    private Entry? _entry;

    /// <summary>The field types, read again when the copy is old or lacks one of <paramref name="fields"/>.</summary>
    public async Task<FieldTypes> GetAsync(IJobStore store, IReadOnlyCollection<string> fields, CancellationToken ct)
    {
        if (Volatile.Read(ref _entry) is { } entry)
        {
            var age = time.GetElapsedTime(entry.Read);
            if (age < Lifetime && (age < UnknownRetry || fields.All(f => entry.Types.Of(f) is not null)))
            {
                return entry.Types;
            }
        }

        var read = time.GetTimestamp();
        var types = new FieldTypes(await EsResults.MappingsAsync(store, ct));
        Volatile.Write(ref _entry, new Entry(types, read));
        return types;
    }

    private sealed record Entry(FieldTypes Types, long Read);
}
