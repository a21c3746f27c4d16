using System.Net;
using System.Net.Sockets;

namespace Jobs.Notifications.Webhooks;

/// <summary>
/// The <see cref="SocketsHttpHandler.ConnectCallback"/> of the webhook client: resolves the host,
/// drops every address <see cref="AddressGuard"/> refuses (unless the host is listed in
/// <c>Jobs:Notifications:AllowedHosts</c>) and connects to the first one left. Because the check
/// runs where the socket is opened, a DNS answer that changes between check and use, or a
/// redirect to an internal address, cannot get around it.
/// </summary>
public sealed class GuardedConnector(IReadOnlyCollection<string> allowedHosts)
{
    private readonly HashSet<string> _allowed = new(allowedHosts.Select(h => h.Trim().Trim('[', ']')), StringComparer.OrdinalIgnoreCase);

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host.Trim('[', ']');
        var allowed = _allowed.Contains(host);
        var addresses = AddressGuard.IsIp(host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        string? refusal = null;
        foreach (var address in addresses)
        {
            if (!allowed && !_allowed.Contains(address.ToString()) && AddressGuard.Refusal(address) is { } why)
            {
                refusal ??= $"{host} resolves to {address}, {why}; list the host in Jobs:Notifications:AllowedHosts to allow it";
                continue;
            }

            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw new RefusedTargetException(refusal ?? $"{host} has no address");
    }
}
