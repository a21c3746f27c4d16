using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Jobs.Cli.Tests.Aws;

/// <summary>
/// Recomputes a SigV4 signature from the request as the server received it, independently of
/// the SDK's signer: canonical request, string to sign, and the HMAC key chain.
/// </summary>
internal static partial class SigV4Check
{
    [GeneratedRegex(@"^AWS4-HMAC-SHA256 Credential=(?<key>[A-Z0-9]+)/(?<date>\d{8})/(?<region>[a-z0-9-]+)/(?<service>[a-z0-9-]+)/aws4_request, SignedHeaders=(?<signed>[a-z0-9-]+(;[a-z0-9-]+)*), Signature=(?<signature>[0-9a-f]{64})$")]
    public static partial Regex Authorization();

    public static string Expected(string authorization, Func<string, string> header, string path, byte[] body, string secret)
    {
        var m = Authorization().Match(authorization);
        Assert.True(m.Success, $"malformed Authorization header: {authorization}");
        var signed = m.Groups["signed"].Value.Split(';');
        var amzDate = header("x-amz-date");
        var canonical = new StringBuilder()
            .Append("POST\n").Append(path).Append("\n\n");
        foreach (var name in signed)
        {
            canonical.Append(name).Append(':').Append(header(name).Trim()).Append('\n');
        }

        canonical.Append('\n').Append(string.Join(';', signed)).Append('\n').Append(Hex(SHA256.HashData(body)));

        var scope = $"{m.Groups["date"].Value}/{m.Groups["region"].Value}/{m.Groups["service"].Value}/aws4_request";
        var toSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())))}";
        var key = Encoding.UTF8.GetBytes("AWS4" + secret);
        foreach (var part in new[] { m.Groups["date"].Value, m.Groups["region"].Value, m.Groups["service"].Value, "aws4_request" })
        {
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        }

        return Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(toSign)));
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
