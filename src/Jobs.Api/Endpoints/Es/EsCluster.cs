using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Jobs.Api.Endpoints.Es;

/// <summary>
/// Who this surface says it is: cluster and node names from <see cref="EsOptions"/>, and uuids
/// derived from the cluster name, so they stay the same across restarts (Elasticvue keys a
/// cluster's saved search settings by <c>cluster_uuid</c>).
/// </summary>
internal sealed class EsCluster(IOptions<EsOptions> options)
{
    /// <summary>
    /// The Elasticsearch version reported. The official 9.x clients and Elasticvue read only the
    /// major number (Elasticvue: 7, 8 or 9); the wire format served is the one 8.x and 9.x share.
    /// </summary>
    public const string Version = "9.0.0";

    public string ClusterName => options.Value.ClusterName;

    public string NodeName => options.Value.NodeName ?? Environment.MachineName;

    public string ClusterUuid => Uuid("cluster:" + ClusterName);

    public string IndexUuid => Uuid("index:" + ClusterName + ":" + IndexExpression.Jobs);

    /// <summary>Elasticsearch's uuid format: 16 bytes, URL-safe base64 without padding (22 characters).</summary>
    private static string Uuid(string seed) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(seed))[..16]).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
