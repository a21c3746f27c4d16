namespace Jobs.Core.Search;

/// <summary>
/// Who is searching. A non-admin caller sees only the jobs whose <c>user-id</c> is theirs.
/// </summary>
public sealed record SearchCaller(string? UserId, bool IsAdmin)
{
    /// <summary>A caller that sees every job (single-machine default, operators).</summary>
    public static SearchCaller Admin { get; } = new(null, true);
}
