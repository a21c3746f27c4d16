using Jobs.Core.Notifications;
using Jobs.Notifications.Dispatching;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Jobs.Notifications.Email;

/// <summary>
/// Sends a <c>mailto:</c> delivery through the configured SMTP server with MailKit: the subject
/// names the job and its status, the text body is the event's JSON. Without
/// <c>Jobs:Notifications:Smtp:Host</c> an e-mail delivery fails for good, saying so.
/// </summary>
public sealed class EmailSender(SmtpOptions options)
{
    public async Task<SendResult> SendAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(options.Host))
        {
            return new SendResult(false, null, "no SMTP server configured (Jobs:Notifications:Smtp:Host)", Permanent: true);
        }

        // mailto:address[?query]; the address may be URL-encoded (template variables are).
        var address = Uri.UnescapeDataString(delivery.Url["mailto:".Length..].Split('?')[0]);
        if (!MailboxAddress.TryParse(address, out var to))
        {
            return new SendResult(false, null, $"'{address}' is not an e-mail address", Permanent: true);
        }

        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(options.From));
        message.To.Add(to);
        message.Subject = delivery.Subject ?? $"Job {delivery.JobId}: {delivery.EventType}";
        message.Headers.Add("Jobs-Event-Id", delivery.EventId);
        message.Body = new TextPart("plain") { Text = delivery.Body };
        try
        {
            using var client = new SmtpClient { Timeout = 10_000 };
            await client.ConnectAsync(options.Host, options.Port, options.UseTls ? SecureSocketOptions.StartTls : SecureSocketOptions.None, cancellationToken).ConfigureAwait(false);
            if (!string.IsNullOrEmpty(options.UserName))
            {
                await client.AuthenticateAsync(options.UserName, options.Password ?? "", cancellationToken).ConfigureAwait(false);
            }

            var answer = await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
            await client.DisconnectAsync(true, cancellationToken).ConfigureAwait(false);
            return new SendResult(true, 250, null) { Error = answer };
        }
        catch (Exception e) when (e is SmtpCommandException or SmtpProtocolException or IOException or System.Net.Sockets.SocketException or AuthenticationException)
        {
            var code = e is SmtpCommandException command ? (int)command.StatusCode : (int?)null;
            return new SendResult(false, code, $"SMTP: {e.Message}", Permanent: code is >= 500 and < 600 && code != 552);
        }
    }
}
