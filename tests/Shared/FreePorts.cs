using System.Net;
using System.Net.Sockets;

namespace Orleans.Agent.Tests;

internal static class FreePorts
{
    /// <summary>A loopback port the OS just handed out and released, for servers that cannot bind port 0 themselves.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
