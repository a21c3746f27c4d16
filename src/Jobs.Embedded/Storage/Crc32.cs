namespace Jobs.Embedded.Storage;

/// <summary>
/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320): detects torn or corrupt log records.
/// System.IO.Hashing's implementation is vectorised (the same values as a table-driven one, many
/// times faster); it runs under the log's lock for every record.
/// </summary>
internal static class Crc32
{
    public static uint Compute(ReadOnlySpan<byte> data) => System.IO.Hashing.Crc32.HashToUInt32(data);
}
