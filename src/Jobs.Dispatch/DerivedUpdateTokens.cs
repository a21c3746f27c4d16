using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Jobs.Core.Dispatch;
using Jobs.Core.Jobs;

namespace Jobs.Dispatch;

/// <summary>
/// Update tokens derived from a server key: the first 16 bytes of HMAC-SHA256(key, "jobs-update-token:v1:" + job id),
/// base64url like a random token. Without the key they cannot be told from random ones; with it
/// the dispatcher can give a job its token again after a crash, although the store keeps only the
/// token's hash (docs/decisions.md, "Dispatch tokens").
/// </summary>
public sealed class DerivedUpdateTokens : IUpdateTokenSource
{
    private const string Context = "jobs-update-token:v1:";
    public const int MinKeyBytes = 32;

    private readonly byte[] _key;

    public DerivedUpdateTokens(byte[] key)
    {
        if (key.Length < MinKeyBytes)
        {
            throw new ArgumentException($"The token key must have at least {MinKeyBytes} bytes.", nameof(key));
        }

        _key = key;
    }

    public string For(string jobId) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(Context + jobId)).AsSpan(0, 16));

    /// <summary>Whether the job's stored token hash is this source's token (jobs created without dispatch are not).</summary>
    public bool Issued(JobDocument job) => UpdateToken.Verify(For(job.Id), job.TokenSha256);

    /// <summary>
    /// The configured key (<see cref="DispatchOptions.TokenKey"/>), else the one in
    /// <see cref="DispatchOptions.TokenKeyFile"/>, created there (owner-only) on first use.
    /// </summary>
    public static DerivedUpdateTokens FromOptions(DispatchOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.TokenKey))
        {
            return new DerivedUpdateTokens(Convert.FromBase64String(options.TokenKey.Trim()));
        }

        var path = Path.GetFullPath(options.TokenKeyFile);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var fresh = Convert.ToBase64String(RandomNumberGenerator.GetBytes(MinKeyBytes));
            try
            {
                using var stream = OwnerOnlyFile.Open(path, FileMode.CreateNew);
                stream.Write(Encoding.ASCII.GetBytes(fresh));
                stream.Flush(flushToDisk: true);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first: use theirs.
            }
        }

        return new DerivedUpdateTokens(Convert.FromBase64String(File.ReadAllText(path).Trim()));
    }
}
