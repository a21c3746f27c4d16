using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Jobs.Embedded.Storage;

/// <summary>
/// The payload of a <see cref="WalRecordKind.JobChange"/> record: a job's new document and the
/// events written with it, so both become durable in one fsync or not at all.
/// <c>[i32 job length][job JSON][i32 event count]</c>, then per event
/// <c>[i32 id length][document id UTF-8][i32 key length][sort key UTF-8][i32 JSON length][event JSON]</c>, little-endian;
/// then, when the change has an outbox event, <c>[i32 type length][type UTF-8][i64 time, UTC ticks]</c>
/// (records written before the outbox end after the events, and have none).
/// </summary>
internal static class JobChangeRecord
{
    public readonly record struct Event(string DocumentId, string SortKey, byte[] Json);

    /// <summary>The outbox event of the change: its type and time (the job is the record's).</summary>
    public readonly record struct Notice(string Type, DateTimeOffset Time);

    public static byte[] Encode(byte[] job, IReadOnlyList<Event> events, Notice? notice = null)
    {
        var output = new ArrayBufferWriter<byte>(job.Length + 64 + events.Sum(e => e.Json.Length + 300));
        WriteBlock(output, job);
        WriteInt(output, events.Count);
        foreach (var e in events)
        {
            WriteBlock(output, Encoding.UTF8.GetBytes(e.DocumentId));
            WriteBlock(output, Encoding.UTF8.GetBytes(e.SortKey));
            WriteBlock(output, e.Json);
        }

        if (notice is { } n)
        {
            WriteBlock(output, Encoding.UTF8.GetBytes(n.Type));
            BinaryPrimitives.WriteInt64LittleEndian(output.GetSpan(8), n.Time.UtcTicks);
            output.Advance(8);
        }

        return output.WrittenSpan.ToArray();
    }

    public static (byte[] Job, IReadOnlyList<Event> Events) Decode(ReadOnlySpan<byte> payload) => Decode(payload, out _);

    public static (byte[] Job, IReadOnlyList<Event> Events) Decode(ReadOnlySpan<byte> payload, out Notice? notice)
    {
        var job = ReadBlock(ref payload).ToArray();
        var count = ReadInt(ref payload);
        var events = new List<Event>(count);
        for (var i = 0; i < count; i++)
        {
            var id = Encoding.UTF8.GetString(ReadBlock(ref payload));
            var key = Encoding.UTF8.GetString(ReadBlock(ref payload));
            events.Add(new Event(id, key, ReadBlock(ref payload).ToArray()));
        }

        notice = null;
        if (payload.Length > 0)
        {
            var type = Encoding.UTF8.GetString(ReadBlock(ref payload));
            notice = new Notice(type, new DateTimeOffset(BinaryPrimitives.ReadInt64LittleEndian(payload), TimeSpan.Zero));
        }

        return (job, events);
    }

    private static void WriteInt(ArrayBufferWriter<byte> output, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(output.GetSpan(4), value);
        output.Advance(4);
    }

    private static void WriteBlock(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        WriteInt(output, bytes.Length);
        output.Write(bytes);
    }

    private static int ReadInt(ref ReadOnlySpan<byte> payload)
    {
        var value = BinaryPrimitives.ReadInt32LittleEndian(payload);
        payload = payload[4..];
        return value;
    }

    private static ReadOnlySpan<byte> ReadBlock(ref ReadOnlySpan<byte> payload)
    {
        var length = ReadInt(ref payload);
        var block = payload[..length];
        payload = payload[length..];
        return block;
    }
}
