using Jobs.Core.Jobs;

namespace Jobs.Dispatch.Tests;

/// <summary>Derived update tokens: stable per job and key, distinct across jobs and keys, the key file kept owner-only and reused.</summary>
public sealed class DerivedUpdateTokensTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "jobs-dispatch-tokens", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public void A_token_is_the_same_for_the_same_job_and_key_and_differs_otherwise()
    {
        var a = new DerivedUpdateTokens(new byte[32]);
        var b = new DerivedUpdateTokens(Enumerable.Repeat((byte)1, 32).ToArray());

        Assert.Equal(a.For("job-1"), a.For("job-1"));
        Assert.NotEqual(a.For("job-1"), a.For("job-2"));
        Assert.NotEqual(a.For("job-1"), b.For("job-1"));
        Assert.Equal(UpdateToken.New().Length, a.For("job-1").Length);
        Assert.Throws<ArgumentException>(() => new DerivedUpdateTokens(new byte[16]));
    }

    [Fact]
    public void Issued_tells_a_derived_token_s_job_from_a_random_token_s()
    {
        var tokens = new DerivedUpdateTokens(new byte[32]);
        var derived = new JobDocument { Id = "j1", ProcessId = "p", Created = DateTimeOffset.UtcNow, TokenSha256 = UpdateToken.Hash(tokens.For("j1")) };
        var random = derived with { TokenSha256 = UpdateToken.Hash(UpdateToken.New()) };

        Assert.True(tokens.Issued(derived));
        Assert.False(tokens.Issued(random));
    }

    [Fact]
    public void Without_a_configured_key_one_is_created_owner_only_and_read_again_next_time()
    {
        var options = new DispatchOptions { TokenKeyFile = Path.Combine(_dir, "key") };

        var first = DerivedUpdateTokens.FromOptions(options).For("job");
        var second = DerivedUpdateTokens.FromOptions(options).For("job");

        Assert.Equal(first, second);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(options.TokenKeyFile));
        }

        var configured = new DispatchOptions { TokenKey = Convert.ToBase64String(new byte[32]), TokenKeyFile = options.TokenKeyFile };
        Assert.Equal(new DerivedUpdateTokens(new byte[32]).For("job"), DerivedUpdateTokens.FromOptions(configured).For("job"));
    }
}
