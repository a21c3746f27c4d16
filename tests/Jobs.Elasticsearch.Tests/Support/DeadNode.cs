using System.Net;
using System.Net.Sockets;

namespace Jobs.Elasticsearch.Tests.Support;

/// <summary>
/// A loopback address where connections are refused: a socket bound to the port but never
/// listening, so no server started meanwhile by a test running in parallel can take the port.
/// </summary>
internal sealed class DeadNode : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public DeadNode()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Url = $"http://127.0.0.1:{((IPEndPoint)_socket.LocalEndPoint!).Port}";
    }

    public string Url { get; }

    public void Dispose() => _socket.Dispose();
}
