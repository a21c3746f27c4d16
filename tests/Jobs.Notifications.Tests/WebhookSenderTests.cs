using Jobs.Core.Notifications;
using Jobs.Notifications.Webhooks;

namespace Jobs.Notifications.Tests;

public sealed class WebhookSenderTests : IAsyncLifetime
{
    private const string Secret = "whsec_test";
    private Receiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await Receiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    private static Delivery For(string url) => new()
    {
        Id = "d1",
        SubscriptionId = "s1",
        Sequence = 42,
        JobId = "j1",
        EventType = "status",
        Url = url,
        Body = """{"type":"status","jobID":"j1"}""",
        Created = DateTimeOffset.UtcNow,
        NextAttempt = DateTimeOffset.UtcNow,
    };

    private static WebhookSender Sender(params string[] allowed) =>
        new(new NotificationOptions { AllowedHosts = [.. allowed], TimeoutSeconds = 10 }, TimeProvider.System);

    [Fact]
    public async Task An_allowed_receiver_gets_the_body_signed_with_the_event_id()
    {
        using var sender = Sender("127.0.0.1");

        var result = await sender.SendAsync(For(_receiver.Url + "/hook?x=1"), Secret, CancellationToken.None);

        Assert.True(result.Delivered, result.Error);
        var got = Assert.Single(await _receiver.WaitForAsync(1));
        Assert.Equal("/hook", got.Path);
        Assert.Equal("42", got.Headers[WebhookSignature.EventIdHeader]);
        Assert.StartsWith("application/json", got.Headers["Content-Type"]);
        Assert.True(WebhookSignature.Verify(Secret, got.Headers[WebhookSignature.Header], got.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
    }

    [Theory]
    [InlineData("http://127.0.0.1:{port}/", "loopback")]
    [InlineData("http://localhost:{port}/", "loopback")]
    [InlineData("http://[::1]:{port}/", "loopback")]
    [InlineData("http://10.0.0.1:9/", "private")]
    [InlineData("http://172.20.0.1:9/", "private")]
    [InlineData("http://192.168.0.1:9/", "private")]
    [InlineData("http://[fd00::1]:9/", "unique local")]
    [InlineData("http://169.254.10.10:9/", "link-local")]
    [InlineData("http://[fe80::1]:9/", "link-local")]
    [InlineData("http://100.64.1.1:9/", "carrier-grade NAT")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "metadata")]
    [InlineData("http://[fd00:ec2::254]/latest/meta-data/", "metadata")]
    public async Task Internal_targets_are_refused_for_good_without_a_connection(string template, string why)
    {
        using var sender = Sender();
        var port = new Uri(_receiver.Url).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var result = await sender.SendAsync(For(template.Replace("{port}", port, StringComparison.Ordinal)), Secret, CancellationToken.None);

        Assert.False(result.Delivered);
        Assert.True(result.Permanent);
        Assert.StartsWith("refused:", result.Error);
        Assert.Contains(why, result.Error);
        Assert.Empty(_receiver.Requests);
    }

    [Fact]
    public async Task A_redirect_to_the_metadata_service_is_refused()
    {
        _receiver.RedirectTo = "http://169.254.169.254/latest/meta-data/iam/";
        using var sender = Sender("127.0.0.1");

        var result = await sender.SendAsync(For(_receiver.Url + "/redirect"), Secret, CancellationToken.None);

        Assert.False(result.Delivered);
        Assert.True(result.Permanent);
        Assert.Contains("metadata", result.Error);
        Assert.Equal(307, Assert.Single(_receiver.Requests).Answered);
    }

    [Fact]
    public async Task A_failing_answer_is_reported_with_its_status_and_a_bounded_excerpt()
    {
        _receiver.FailNext(503);
        using var sender = Sender("127.0.0.1");

        var result = await sender.SendAsync(For(_receiver.Url + "/hook"), Secret, CancellationToken.None);

        Assert.False(result.Delivered);
        Assert.False(result.Permanent);
        Assert.Equal(503, result.StatusCode);
        Assert.InRange(result.Error!.Length, 4096, 4096 + 100);
    }
}
