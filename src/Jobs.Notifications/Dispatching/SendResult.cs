namespace Jobs.Notifications.Dispatching;

/// <summary>How one try went: delivered, or failed (for good, or to be tried again).</summary>
public sealed record SendResult(bool Delivered, int? StatusCode, string? Error, bool Permanent = false)
{
    public static SendResult Ok(int? status) => new(true, status, null);
}
