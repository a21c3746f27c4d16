using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jobs.Elasticsearch.Auth;

namespace Jobs.Elasticsearch.Tests.Auth;

public sealed class CertificateTrustTests : IDisposable
{
    private readonly X509Certificate2 _authority = Authority("CN=jobs test CA");
    private readonly X509Certificate2 _otherAuthority = Authority("CN=someone else's CA");
    private readonly X509Certificate2 _server;

    public CertificateTrustTests() => _server = Issue(_authority, "es01.internal");

    public void Dispose()
    {
        _authority.Dispose();
        _otherAuthority.Dispose();
        _server.Dispose();
    }

    [Fact]
    public void A_certificate_issued_by_the_configured_authority_is_trusted()
    {
        Assert.True(CertificateTrust.IsTrusted(_server, null, SslPolicyErrors.RemoteCertificateChainErrors, [_authority]));
    }

    [Fact]
    public void A_certificate_of_another_authority_is_not_trusted()
    {
        Assert.False(CertificateTrust.IsTrusted(_server, null, SslPolicyErrors.RemoteCertificateChainErrors, [_otherAuthority]));
    }

    [Fact]
    public void A_host_name_mismatch_is_refused_whatever_the_authority()
    {
        Assert.False(CertificateTrust.IsTrusted(_server, null, SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateChainErrors, [_authority]));
    }

    [Fact]
    public void A_certificate_the_system_trusts_stays_trusted()
    {
        Assert.True(CertificateTrust.IsTrusted(_server, null, SslPolicyErrors.None, [_otherAuthority]));
    }

    [Fact]
    public void Authorities_load_from_a_pem_bundle()
    {
        var path = Path.Combine(Path.GetTempPath(), $"jobs-ca-{Guid.NewGuid():N}.pem");
        File.WriteAllText(path, _authority.ExportCertificatePem() + "\n" + _otherAuthority.ExportCertificatePem());
        try
        {
            var loaded = CertificateTrust.LoadAuthorities(path);

            Assert.Equal([_authority.Thumbprint, _otherAuthority.Thumbprint], loaded.Select(c => c.Thumbprint));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static X509Certificate2 Authority(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    private static X509Certificate2 Issue(X509Certificate2 authority, string host)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={host}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(host);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        return request.Create(authority, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(30), [1, 2, 3, 4]);
    }
}
