using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Jobs.Embedded.Storage;

/// <summary>What a log record holds. Every record carries a full new state, so replaying it twice is harmless.</summary>
internal enum WalRecordKind : byte
{
    /// <summary>Key: job id; payload: the job document's JSON (written before events had their own index; still replayed).</summary>
    Job = 1,

    /// <summary>Key: process id; payload: the process definition's JSON.</summary>
    ProcessDeploy = 2,

    /// <summary>Key: process id; payload: the version (UTF-8) removed.</summary>
    ProcessUndeploy = 3,

    /// <summary>Key: process id; every version removed.</summary>
    ProcessUndeployAll = 4,

    /// <summary>Key: job id; payload: the job document and the events written with it (<see cref="JobChangeRecord"/>).</summary>
    JobChange = 5,
}

/// <summary>
/// One record of the write-ahead log. On disk:
/// <c>[u32 body length][u32 CRC-32 of body][body]</c>, body = <c>[i64 sequence][u8 kind][i32 key length][key UTF-8][payload]</c>,
/// little-endian. A record whose length or checksum does not hold is a torn tail.
/// </summary>
internal readonly record struct WalRecord(long Sequence, WalRecordKind Kind, string Key, ReadOnlyMemory<byte> Payload)
{
    public const int HeaderBytes = 8;
    private const int FixedBodyBytes = 8 + 1 + 4;

    /// <summary>The largest body accepted when reading (anything larger is corruption), and so the largest the writer accepts.</summary>
    public const int MaxBodyBytes = 64 << 20;

    /// <summary>The body length of a record with this key and payload size.</summary>
    public static long BodyBytes(string key, long payloadBytes) => FixedBodyBytes + Encoding.UTF8.GetByteCount(key) + payloadBytes;

    public static void Write(IBufferWriter<byte> output, long sequence, WalRecordKind kind, string key, ReadOnlySpan<byte> payload)
    {
        var keyBytes = Encoding.UTF8.GetByteCount(key);
        var bodyLength = FixedBodyBytes + keyBytes + payload.Length;
        var span = output.GetSpan(HeaderBytes + bodyLength);
        var body = span.Slice(HeaderBytes, bodyLength);
        BinaryPrimitives.WriteInt64LittleEndian(body, sequence);
        body[8] = (byte)kind;
        BinaryPrimitives.WriteInt32LittleEndian(body[9..], keyBytes);
        Encoding.UTF8.GetBytes(key, body.Slice(FixedBodyBytes, keyBytes));
        payload.CopyTo(body[(FixedBodyBytes + keyBytes)..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)bodyLength);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], Crc32.Compute(body));
        output.Advance(HeaderBytes + bodyLength);
    }

    /// <summary>Decodes a checked body; false when it is malformed.</summary>
    public static bool TryDecode(ReadOnlyMemory<byte> body, out WalRecord record)
    {
        record = default;
        var span = body.Span;
        if (span.Length < FixedBodyBytes)
        {
            return false;
        }

        var sequence = BinaryPrimitives.ReadInt64LittleEndian(span);
        var kind = (WalRecordKind)span[8];
        var keyBytes = BinaryPrimitives.ReadInt32LittleEndian(span[9..]);
        if (keyBytes < 0 || keyBytes > span.Length - FixedBodyBytes || !Enum.IsDefined(kind))
        {
            return false;
        }

        var key = Encoding.UTF8.GetString(span.Slice(FixedBodyBytes, keyBytes));
        record = new WalRecord(sequence, kind, key, body[(FixedBodyBytes + keyBytes)..]);
        return true;
    }
}
