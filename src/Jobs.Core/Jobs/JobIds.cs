using System.Buffers.Binary;

namespace Jobs.Core.Jobs;

/// <summary>
/// Job ids are UUID v7 strings: unique, and sortable by creation time. Within one process they
/// are strictly increasing even for jobs created in the same millisecond (RFC 9562 monotonic
/// random), so "newest first" by id never depends on chance.
/// </summary>
public static class JobIds
{
    private static readonly Lock Gate = new();
    private static UInt128 _last;

    public static string New(DateTimeOffset now)
    {
        var candidate = ToNumber(Guid.CreateVersion7(now));
        lock (Gate)
        {
            if (candidate <= _last && (_last >> 80) == (candidate >> 80))
            {
                // Same millisecond (or a clock step back within it): count on from the last id
                // in the random bits, leaving the version and variant bits alone.
                candidate = Increment(_last);
            }

            _last = candidate > _last ? candidate : _last;
            return ToGuid(candidate).ToString("D");
        }
    }

    /// <summary>
    /// Ids that may appear in a URL path or a document id: 1 to 128 characters, no control
    /// characters, no slash, not a dot segment (<c>.</c>, <c>..</c>), which a path would resolve
    /// to another resource. (Legacy Unity messages may carry ids that are not UUIDs.)
    /// </summary>
    public static bool IsWellFormed(string? id) =>
        !string.IsNullOrWhiteSpace(id) && id.Length <= 128 && id is not ("." or "..") && !id.Any(c => char.IsControl(c) || c == '/');

    private static UInt128 Increment(UInt128 value)
    {
        // rand_b is the low 62 bits; overflow into the variant bits is not realistic (2^62 ids in one ms).
        return value + 1;
    }

    private static UInt128 ToNumber(Guid guid)
    {
        Span<byte> bytes = stackalloc byte[16];
        guid.TryWriteBytes(bytes, bigEndian: true, out _);
        return BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    private static Guid ToGuid(UInt128 value)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, value);
        return new Guid(bytes, bigEndian: true);
    }
}
