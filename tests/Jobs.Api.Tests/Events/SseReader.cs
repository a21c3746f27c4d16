using System.Text.Json.Nodes;

namespace Jobs.Api.Tests.Events;

/// <summary>One Server-Sent Events message: its fields, or a comment line.</summary>
public sealed record SseMessage(string? Id, string? Event, string? Data, string? Comment, int? Retry)
{
    public JsonNode Json => JsonNode.Parse(Data!)!;
}

/// <summary>Reads a <c>text/event-stream</c> body message by message, as the SSE specification frames it.</summary>
public sealed class SseReader(Stream body) : IDisposable
{
    private readonly StreamReader _reader = new(body);

    /// <summary>The next message or comment; null at the end of the stream.</summary>
    public async Task<SseMessage?> NextAsync(CancellationToken ct)
    {
        string? id = null, type = null, comment = null;
        int? retry = null;
        var data = new List<string>();
        while (await _reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length == 0)
            {
                if (id is null && type is null && data.Count == 0 && comment is null && retry is null)
                {
                    continue;
                }

                return new SseMessage(id, type, data.Count > 0 ? string.Join('\n', data) : null, comment, retry);
            }

            if (line.StartsWith(':'))
            {
                comment = line[1..].Trim();
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var (field, value) = colon < 0 ? (line, "") : (line[..colon], line[(colon + 1)..].TrimStart(' '));
            switch (field)
            {
                case "id": id = value; break;
                case "event": type = value; break;
                case "data": data.Add(value); break;
                case "retry": retry = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            }
        }

        return null;
    }

    /// <summary>The next <paramref name="count"/> events, skipping comments and the retry hint.</summary>
    public async Task<List<SseMessage>> EventsAsync(int count, CancellationToken ct)
    {
        var events = new List<SseMessage>();
        while (events.Count < count && await NextAsync(ct) is { } message)
        {
            if (message.Event is not null)
            {
                events.Add(message);
            }
        }

        return events;
    }

    public void Dispose() => _reader.Dispose();
}
