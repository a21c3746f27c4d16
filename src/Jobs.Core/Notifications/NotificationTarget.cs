using System.Net.Mail;

namespace Jobs.Core.Notifications;

/// <summary>What a subscription may deliver to: an absolute http(s) URL or a <c>mailto:</c> address, with known template variables only.</summary>
public static class NotificationTarget
{
    /// <summary>Why <paramref name="url"/> cannot be a target, or null when it can.</summary>
    public static string? Problem(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return "is required: an http(s) URL or mailto:address";
        }

        if (UrlTemplate.Unknown(url) is { Count: > 0 } unknown)
        {
            return $"names unknown template variables ({string.Join(", ", unknown.Select(v => "${" + v + "}"))}); known: {string.Join(", ", UrlTemplate.Variables)}";
        }

        if (url.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
        {
            var address = Uri.UnescapeDataString(url["mailto:".Length..].Split('?')[0]);
            return MailAddress.TryCreate(address, out _) ? null : $"'{address}' is not an e-mail address";
        }

        // Template variables stand in for URL-encoded values: check the URL with placeholders.
        var probe = url.Replace("${", "x", StringComparison.Ordinal).Replace("}", "x", StringComparison.Ordinal);
        return Uri.TryCreate(probe, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0
            ? null
            : "must be an absolute http(s) URL or mailto:address";
    }
}
