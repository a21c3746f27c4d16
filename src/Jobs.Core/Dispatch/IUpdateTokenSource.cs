using Jobs.Core.Jobs;

namespace Jobs.Core.Dispatch;

/// <summary>
/// Where a new job's update token comes from. Without dispatch it is random
/// (<see cref="RandomUpdateTokens"/>); with dispatch it is derived from a server key and the job id
/// (<c>Jobs.Dispatch</c>'s <c>DerivedUpdateTokens</c>), so that a job whose dispatch a crash
/// interrupted can still be handed its token later although the store keeps only its hash
/// (docs/decisions.md, "Dispatch tokens").
/// </summary>
public interface IUpdateTokenSource
{
    /// <summary>The token of the job with this id.</summary>
    string For(string jobId);
}

/// <summary>A fresh random token per job (<see cref="UpdateToken.New"/>).</summary>
public sealed class RandomUpdateTokens : IUpdateTokenSource
{
    public static readonly RandomUpdateTokens Instance = new();

    public string For(string jobId) => UpdateToken.New();
}
