using Jobs.Core.Processes;

namespace Jobs.Core.Storage;

/// <summary>The deployed processes (OGC Application Packages), kept alongside the jobs.</summary>
public interface IProcessRegistry
{
    /// <summary>Stores a process version. False, changing nothing, when that id and version exist.</summary>
    Task<bool> DeployAsync(ProcessDefinition process, CancellationToken cancellationToken);

    /// <summary>One version, or with <paramref name="version"/> null the latest deployed one.</summary>
    Task<ProcessDefinition?> GetAsync(string id, string? version, CancellationToken cancellationToken);

    /// <summary>Every deployed version of every process, ordered by id then deployment time.</summary>
    Task<IReadOnlyList<ProcessDefinition>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Removes one version, or every version when <paramref name="version"/> is null. Returns how many were removed.</summary>
    Task<int> UndeployAsync(string id, string? version, CancellationToken cancellationToken);
}
