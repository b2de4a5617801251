using System.Net;
using System.Net.Sockets;

namespace Hearsay.Testing;

/// <summary>URLs on a loopback port nothing listens on: every connection is refused, as on a machine that is offline.</summary>
public static class ClosedPort
{
    /// <summary><c>http://127.0.0.1:PORT/PATH</c> on a port that was free a moment ago (another process could take it, but seldom does).</summary>
    public static Uri Url(string path)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/{path.TrimStart('/')}");
    }
}
