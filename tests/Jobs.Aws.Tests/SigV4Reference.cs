using System.Security.Cryptography;
using System.Text;

namespace Jobs.Aws.Tests;

/// <summary>
/// Signature Version 4 computed by hand, step by step as AWS describes it (canonical request,
/// string to sign, derived key, signature), independently of AWSSDK.Core: the yardstick the
/// handler's output is held against. Its own correctness is shown on AWS's published examples.
/// </summary>
internal static class SigV4Reference
{
    /// <param name="headers">Every signed header, lower-case name to value.</param>
    public static string Authorization(
        string method, string path, string query, IReadOnlyDictionary<string, string> headers, byte[] body,
        string accessKey, string secretKey, string region, string service, string amzDate)
    {
        var names = headers.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList();
        var signedHeaders = string.Join(";", names);
        var canonical = string.Join("\n",
            method,
            path,
            CanonicalQuery(query),
            string.Concat(names.Select(n => $"{n}:{headers[n].Trim()}\n")),
            signedHeaders,
            Hex(SHA256.HashData(body)));

        var date = amzDate[..8];
        var scope = $"{date}/{region}/{service}/aws4_request";
        var toSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var key = Encoding.UTF8.GetBytes("AWS4" + secretKey);
        foreach (var part in new[] { date, region, service, "aws4_request" })
        {
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        }

        var signature = Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(toSign)));
        return $"AWS4-HMAC-SHA256 Credential={accessKey}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}";
    }

    private static string CanonicalQuery(string query) => string.Join("&", query
        .Split('&', StringSplitOptions.RemoveEmptyEntries)
        .Select(p => p.Split('=', 2))
        .Select(p => (Key: Uri.EscapeDataString(Uri.UnescapeDataString(p[0])), Value: Uri.EscapeDataString(Uri.UnescapeDataString(p.Length > 1 ? p[1] : ""))))
        .OrderBy(p => p.Key, StringComparer.Ordinal)
        .ThenBy(p => p.Value, StringComparer.Ordinal)
        .Select(p => $"{p.Key}={p.Value}"));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
