using Jobs.Core.Jobs;
using Jobs.Core.Notifications;
using Jobs.Notifications.Email;

namespace Jobs.Notifications.Tests;

public sealed class EmailTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static Delivery Mail(string to) => new()
    {
        Id = "d1",
        SubscriptionId = "s1",
        Sequence = 7,
        JobId = "j1",
        EventType = "status",
        Url = "mailto:" + to,
        Subject = "Job j1 (p) failed: status",
        Body = """{"type":"status","status":"failed"}""",
        Created = DateTimeOffset.UtcNow,
        NextAttempt = DateTimeOffset.UtcNow,
    };

    [SkippableFact]
    public async Task A_mailto_delivery_is_sent_through_the_configured_SMTP_server_with_authentication()
    {
        using var smtp = new SmtpSink("jobs", "s3cret");
        Skip.If(smtp.Unavailable is not null, smtp.Unavailable);
        var sender = new EmailSender(new SmtpOptions { Host = "127.0.0.1", Port = smtp.Port, UseTls = false, From = "jobs@example.org", UserName = "jobs", Password = "s3cret" });

        var result = await sender.SendAsync(Mail("someone@example.org"), None);

        Assert.True(result.Delivered, result.Error);
        var message = smtp.Next();
        Assert.Equal("jobs@example.org", message["from"]!.GetValue<string>());
        Assert.Equal("someone@example.org", message["to"]![0]!.GetValue<string>());
        Assert.Equal("jobs", message["user"]!.GetValue<string>());
        var data = message["data"]!.GetValue<string>();
        Assert.Contains("Subject: Job j1 (p) failed: status", data);
        Assert.Contains("Jobs-Event-Id: 7", data);
        Assert.Contains("\"status\":\"failed\"", data);
    }

    [SkippableFact]
    public async Task A_refused_recipient_fails_for_good_and_a_wrong_password_is_reported()
    {
        using var rejecting = new SmtpSink(mode: "reject");
        Skip.If(rejecting.Unavailable is not null, rejecting.Unavailable);
        var refused = await new EmailSender(new SmtpOptions { Host = "127.0.0.1", Port = rejecting.Port, UseTls = false }).SendAsync(Mail("gone@example.org"), None);
        Assert.False(refused.Delivered);
        Assert.True(refused.Permanent);
        Assert.Equal(550, refused.StatusCode);

        using var authenticating = new SmtpSink("jobs", "right");
        var wrong = await new EmailSender(new SmtpOptions { Host = "127.0.0.1", Port = authenticating.Port, UseTls = false, UserName = "jobs", Password = "wrong" }).SendAsync(Mail("a@example.org"), None);
        Assert.False(wrong.Delivered);
        Assert.StartsWith("SMTP:", wrong.Error);
    }

    [SkippableFact]
    public async Task A_mailto_subscription_gets_the_jobs_failure_by_e_mail()
    {
        using var smtp = new SmtpSink();
        Skip.If(smtp.Unavailable is not null, smtp.Unavailable);
        using var t = new TestStore(new NotificationOptions { Smtp = new SmtpOptions { Host = "127.0.0.1", Port = smtp.Port, UseTls = false } });
        await t.State.AddSubscriptionsAsync([t.Subscribe("mailto:someone@example.org", events: ["FAILED"])], None);
        await t.NewJobAsync();
        await t.UpdateAsync("j1", "u1", JobStatus.Running);
        await t.UpdateAsync("j1", "u2", JobStatus.Failed);

        while (await t.Dispatcher.RunOnceAsync(None) > 0)
        {
        }

        await t.Sender.RunOnceAsync(None);

        var data = smtp.Next()["data"]!.GetValue<string>();
        Assert.Contains("Subject: Job j1 (p) failed: status", data);
        Assert.Equal(0, smtp.Count);
    }

    [Fact]
    public async Task Without_an_SMTP_server_an_e_mail_fails_for_good_saying_why()
    {
        var result = await new EmailSender(new SmtpOptions()).SendAsync(Mail("a@example.org"), None);

        Assert.True(result.Permanent);
        Assert.Contains("Jobs:Notifications:Smtp:Host", result.Error);
    }
}
