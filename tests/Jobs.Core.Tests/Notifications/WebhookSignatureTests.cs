using System.Text;
using Jobs.Core.Notifications;

namespace Jobs.Core.Tests.Notifications;

public class WebhookSignatureTests
{
    private static readonly DateTimeOffset T = DateTimeOffset.FromUnixTimeSeconds(1767225600);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"a\":1}");

    [Fact]
    public void SignsTimestampDotBodyWithHmacSha256()
    {
        // Expected value computed independently: printf '%s' '1767225600.{"a":1}' | openssl dgst -sha256 -hmac 'whsec-test'
        Assert.Equal("t=1767225600,v1=e696d7e2e879ea34e1117b6681aaec2f6cedbf56581351c6eda7e3e3ef5f1cec",
            WebhookSignature.Sign("whsec-test", T, Body));
    }

    [Fact]
    public void VerifiesItsOwnSignatureWithinTolerance()
    {
        var header = WebhookSignature.Sign("s", T, Body);
        Assert.True(WebhookSignature.Verify("s", header, Body, T.AddMinutes(4), TimeSpan.FromMinutes(5)));
    }

    [Theory]
    [InlineData("other-secret", 0, "{\"a\":1}")]
    [InlineData("s", 0, "{\"a\":2}")]
    [InlineData("s", 6, "{\"a\":1}")]
    public void RefusesWrongSecretChangedBodyOrOldTimestamp(string secret, int minutesLater, string body)
    {
        var header = WebhookSignature.Sign("s", T, Body);
        Assert.False(WebhookSignature.Verify(secret, header, Encoding.UTF8.GetBytes(body), T.AddMinutes(minutesLater), TimeSpan.FromMinutes(5)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("v1=abc")]
    [InlineData("t=notanumber,v1=abc")]
    public void RefusesMalformedHeaders(string? header) =>
        Assert.False(WebhookSignature.Verify("s", header, Body, T, TimeSpan.FromMinutes(5)));

    [Fact]
    public void SecretsAreRandomAndPrefixed()
    {
        var a = WebhookSignature.NewSecret();
        Assert.StartsWith("whsec_", a);
        Assert.NotEqual(a, WebhookSignature.NewSecret());
    }
}
