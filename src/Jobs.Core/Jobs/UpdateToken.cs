using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Jobs.Core.Jobs;

/// <summary>
/// Update tokens (docs/architecture.md, "Update tokens"): a random 128-bit secret per job, handed out once when the
/// job is created. Only its SHA-256 is stored; every update message must carry the token.
/// </summary>
public static class UpdateToken
{
    /// <summary>A new token: 16 random bytes, base64url without padding (22 characters).</summary>
    public static string New() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    /// <summary>Lower-case hex SHA-256 of the token's UTF-8 bytes: what the store keeps.</summary>
    public static string Hash(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Whether <paramref name="token"/> hashes to <paramref name="expectedHash"/>, in constant time.</summary>
    public static bool Verify(string? token, string? expectedHash)
    {
        if (string.IsNullOrEmpty(token) || string.IsNullOrEmpty(expectedHash))
        {
            return false;
        }

        var actual = Encoding.ASCII.GetBytes(Hash(token));
        var expected = Encoding.ASCII.GetBytes(expectedHash);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
