using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;

namespace Jobs.Core.Jobs;

/// <summary>
/// What a job created with an <c>Idempotency-Key</c> header remembers of it (the job's
/// <c>idempotency</c> field, hidden from every response like <c>token-sha256</c>): the SHA-256 of
/// the caller and key, which the store looks the job up by, and the SHA-256 of the request, which
/// tells a retry (the same request) from a reuse of the key for another request.
/// </summary>
public sealed record IdempotencyRecord(
    [property: JsonPropertyName("key-sha256")] string KeySha256,
    [property: JsonPropertyName("request-sha256")] string RequestSha256)
{
    /// <summary>How long a key keeps answering with its job; after that it may create a new one.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    /// <summary>Longest key accepted, in characters (the key is hashed; this only bounds the work).</summary>
    public const int MaxKeyLength = 255;

    /// <summary>
    /// The key scoped to its caller: the same key from two users names two jobs.
    /// </summary>
    public static string HashKey(string userId, string key) => Hash(Encoding.UTF8.GetBytes($"{userId}\n{key}"));

    /// <summary>The request's fingerprint: the process reference as the path named it, and the body's exact bytes.</summary>
    public static string HashRequest(string processRef, ReadOnlySpan<byte> body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(processRef + "\n"));
        hash.AppendData(body);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>
    /// The key of an <c>Idempotency-Key</c> header: 1 to 255 visible ASCII characters, bare or as
    /// a quoted string (the IETF draft's structured-field form); null when it is not one.
    /// </summary>
    public static string? ParseKey(string header)
    {
        var key = header.Length >= 2 && header[0] == '"' && header[^1] == '"' ? header[1..^1] : header;
        return key.Length is > 0 and <= MaxKeyLength && key.All(c => c is >= '!' and <= '~') ? key : null;
    }

    private static string Hash(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
