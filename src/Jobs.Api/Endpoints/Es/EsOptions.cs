namespace Jobs.Api.Endpoints.Es;

/// <summary>Settings of the Elasticsearch-compatible endpoint (section <c>Jobs:Es</c>, e.g. <c>Jobs__Es__ClusterName</c>).</summary>
public sealed class EsOptions
{
    public const string SectionName = "Jobs:Es";

    /// <summary>The <c>cluster_name</c> reported; also the seed of the stable <c>cluster_uuid</c>, so give each deployment its own.</summary>
    public string ClusterName { get; set; } = "jobs";

    /// <summary>The node <c>name</c> reported (default: the machine name).</summary>
    public string? NodeName { get; set; }
}
