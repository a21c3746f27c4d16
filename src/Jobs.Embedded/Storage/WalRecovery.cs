using System.Buffers.Binary;
using System.Globalization;

namespace Jobs.Embedded.Storage;

/// <summary>
/// Reads the write-ahead log at startup: every intact record in sequence order. A torn tail (a
/// record cut short or failing its checksum, as a crash during a write leaves it) ends a segment;
/// it was never acknowledged, so it is cut off the file and ignored.
/// </summary>
internal static class WalRecovery
{
    public sealed record Result(IReadOnlyList<WalSegment> Segments, long LastSequence, int Records, int TornTails);

    public static Result Read(string directory, Action<WalRecord> onRecord)
    {
        Directory.CreateDirectory(directory);
        var files = Directory.GetFiles(directory, "*" + WriteAheadLog.Extension)
            .Select(path => (Path: path, First: long.TryParse(System.IO.Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out var f) ? f : -1))
            .Where(f => f.First >= 0)
            .OrderBy(f => f.First)
            .ToList();

        var segments = new List<WalSegment>();
        long last = 0;
        int records = 0, torn = 0;
        foreach (var (path, first) in files)
        {
            var bytes = File.ReadAllBytes(path);
            var offset = 0;
            var segmentLast = first - 1;
            while (TryRead(bytes, offset, out var record, out var length))
            {
                if (record.Sequence > last)
                {
                    onRecord(record);
                    last = record.Sequence;
                    records++;
                }

                segmentLast = Math.Max(segmentLast, record.Sequence);
                offset += length;
            }

            if (offset < bytes.Length)
            {
                torn++;
                Truncate(path, offset);
            }

            if (offset == 0)
            {
                File.Delete(path);
                continue;
            }

            segments.Add(new WalSegment(path, first, segmentLast));
        }

        return new Result(segments, last, records, torn);
    }

    private static bool TryRead(byte[] bytes, int offset, out WalRecord record, out int length)
    {
        record = default;
        length = 0;
        if (bytes.Length - offset < WalRecord.HeaderBytes)
        {
            return false;
        }

        var bodyLength = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset));
        var crc = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 4));
        if (bodyLength > WalRecord.MaxBodyBytes || bodyLength > bytes.Length - offset - WalRecord.HeaderBytes)
        {
            return false;
        }

        var body = bytes.AsMemory(offset + WalRecord.HeaderBytes, (int)bodyLength);
        if (Crc32.Compute(body.Span) != crc || !WalRecord.TryDecode(body, out record))
        {
            return false;
        }

        length = WalRecord.HeaderBytes + (int)bodyLength;
        return true;
    }

    private static void Truncate(string path, long length)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write);
        stream.SetLength(length);
        stream.Flush(flushToDisk: true);
    }
}
