using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Jobs.Elasticsearch.Auth;

/// <summary>
/// Trusts the cluster's TLS certificate when the system trusts it, or when it chains to one of
/// the configured certificate authorities (a self-managed cluster's own CA, such as
/// Elasticsearch's generated <c>http_ca.crt</c>). The host name must match either way.
/// </summary>
internal static class CertificateTrust
{
    public static X509Certificate2Collection LoadAuthorities(string pemPath)
    {
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(pemPath);
        if (authorities.Count == 0)
        {
            throw new InvalidOperationException($"Jobs__Elasticsearch__CaCertificatePath '{pemPath}' holds no PEM certificate.");
        }

        return authorities;
    }

    internal static bool IsTrusted(X509Certificate2? certificate, X509Chain? presented, SslPolicyErrors errors, X509Certificate2Collection authorities)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is not null)
        {
            // Intermediates the server sent along with its certificate.
            foreach (var element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return chain.Build(certificate);
    }
}
