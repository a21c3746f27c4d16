using System.Net;
using System.Net.Sockets;

namespace Jobs.Notifications.Webhooks;

/// <summary>
/// The SSRF guard's rule: which addresses a webhook may not reach, because they are this
/// machine, its private network or its cloud's metadata service. Checked on the address a
/// connection actually goes to (after DNS, on every redirect), not on the URL's text.
/// </summary>
public static class AddressGuard
{
    private static readonly (IPAddress Network, int Bits, string Why)[] Refused =
    [
        (IPAddress.Parse("0.0.0.0"), 8, "an unspecified (this-network) address"),
        (IPAddress.Parse("127.0.0.0"), 8, "a loopback address"),
        (IPAddress.Parse("10.0.0.0"), 8, "a private address"),
        (IPAddress.Parse("172.16.0.0"), 12, "a private address"),
        (IPAddress.Parse("192.168.0.0"), 16, "a private address"),
        (IPAddress.Parse("169.254.169.254"), 32, "the cloud metadata service"),
        (IPAddress.Parse("169.254.0.0"), 16, "a link-local address"),
        (IPAddress.Parse("100.64.0.0"), 10, "a carrier-grade NAT (shared) address"),
        (IPAddress.Parse("192.0.0.0"), 24, "an IETF protocol assignment"),
        (IPAddress.Parse("198.18.0.0"), 15, "a benchmarking address"),
        (IPAddress.Parse("224.0.0.0"), 4, "a multicast address"),
        (IPAddress.Parse("240.0.0.0"), 4, "a reserved address"),
        (IPAddress.Parse("::"), 128, "the unspecified address"),
        (IPAddress.Parse("::1"), 128, "a loopback address"),
        (IPAddress.Parse("fd00:ec2::254"), 128, "the cloud metadata service"),
        (IPAddress.Parse("fc00::"), 7, "a unique local (private) address"),
        (IPAddress.Parse("fe80::"), 10, "a link-local address"),
        (IPAddress.Parse("ff00::"), 8, "a multicast address"),
    ];

    /// <summary>Why the address is refused, or null when a webhook may reach it.</summary>
    public static string? Refusal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        foreach (var (network, bits, why) in Refused)
        {
            if (network.AddressFamily == address.AddressFamily && InNetwork(address, network, bits))
            {
                return why;
            }
        }

        return null;
    }

    private static bool InNetwork(IPAddress address, IPAddress network, int bits)
    {
        var a = address.GetAddressBytes();
        var n = network.GetAddressBytes();
        var whole = bits / 8;
        for (var i = 0; i < whole; i++)
        {
            if (a[i] != n[i])
            {
                return false;
            }
        }

        var rest = bits % 8;
        if (rest == 0)
        {
            return true;
        }

        var mask = (byte)(0xFF << (8 - rest));
        return (a[whole] & mask) == (n[whole] & mask);
    }

    internal static bool IsIp(string host, out IPAddress address) =>
        IPAddress.TryParse(host.Trim('[', ']'), out address!) && address.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6;
}
