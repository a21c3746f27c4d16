namespace Jobs.Core.Jobs;

/// <summary>Job ids are UUID v7 strings: unique, and sortable by creation time.</summary>
public static class JobIds
{
    public static string New(DateTimeOffset now) => Guid.CreateVersion7(now).ToString("D");

    /// <summary>
    /// Ids that may appear in a URL path or a document id: 1 to 128 characters, no control
    /// characters, no slash. (Legacy Unity messages may carry ids that are not UUIDs.)
    /// </summary>
    public static bool IsWellFormed(string? id) =>
        !string.IsNullOrWhiteSpace(id) && id.Length <= 128 && !id.Any(c => char.IsControl(c) || c == '/');
}
