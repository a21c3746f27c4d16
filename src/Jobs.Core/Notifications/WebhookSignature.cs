using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Jobs.Core.Notifications;

/// <summary>
/// The signature every webhook this service sends carries (notification deliveries and dispatch
/// requests; docs/notifications.md, "Verifying a delivery"):
/// <c>Jobs-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, "&lt;t&gt;.&lt;raw body&gt;")&gt;</c>.
/// Signing the timestamp with the body lets a receiver refuse a replayed old request.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "Jobs-Signature";

    /// <summary>The event's cursor: receivers de-duplicate at-least-once deliveries with it.</summary>
    public const string EventIdHeader = "Jobs-Event-Id";

    /// <summary>A new per-subscription secret: 32 random bytes, base64url without padding.</summary>
    public static string NewSecret() => "whsec_" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>The header value for <paramref name="body"/> sent at <paramref name="time"/>.</summary>
    public static string Sign(string secret, DateTimeOffset time, ReadOnlySpan<byte> body)
    {
        var t = time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"t={t},v1={Compute(secret, t, body)}";
    }

    /// <summary>
    /// Whether <paramref name="header"/> signs <paramref name="body"/> with <paramref name="secret"/>
    /// and its timestamp is within <paramref name="tolerance"/> of <paramref name="now"/>
    /// (constant-time comparison; any <c>v1</c> entry may match, so a sender can rotate secrets).
    /// </summary>
    public static bool Verify(string secret, string? header, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (string.IsNullOrEmpty(header))
        {
            return false;
        }

        string? t = null;
        var signatures = new List<string>();
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries))
        {
            if (part.StartsWith("t=", StringComparison.Ordinal))
            {
                t = part[2..];
            }
            else if (part.StartsWith("v1=", StringComparison.Ordinal))
            {
                signatures.Add(part[3..]);
            }
        }

        if (t is null || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs((now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Ticks) > tolerance.Ticks)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Compute(secret, t, body));
        var matched = false;
        foreach (var signature in signatures)
        {
            matched |= CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature));
        }

        return matched;
    }

    private static string Compute(string secret, string t, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes(t + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }
}
