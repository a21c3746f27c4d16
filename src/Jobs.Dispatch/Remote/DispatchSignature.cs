using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Jobs.Dispatch.Remote;

/// <summary>
/// The <c>Jobs-Signature</c> header of outgoing webhooks (docs/architecture.md, "Events"):
/// <c>t=&lt;unix seconds&gt;,v1=&lt;lowercase hex HMAC-SHA256(secret, "&lt;t&gt;.&lt;raw body&gt;")&gt;</c>.
/// A receiver recomputes it over the raw body and refuses old timestamps.
/// </summary>
public static class DispatchSignature
{
    public const string Header = "Jobs-Signature";

    public static string Sign(string secret, DateTimeOffset time, ReadOnlySpan<byte> body)
    {
        var t = time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signed = new byte[t.Length + 1 + body.Length];
        Encoding.ASCII.GetBytes(t + ".", signed);
        body.CopyTo(signed.AsSpan(t.Length + 1));
        return $"t={t},v1={Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed))}";
    }
}
