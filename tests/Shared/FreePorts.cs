using System.Net;
using System.Net.Sockets;

namespace Orleans.Agent.Tests;

internal static class FreePorts
{
    // The OS may hand a released port out again at once: one test got the same port for a silo and an API node.
    private static readonly HashSet<int> HandedOut = [];

    /// <summary>
    /// A loopback port the OS just handed out and released, never the same twice in this process, for servers that
    /// cannot bind port 0 themselves.
    /// </summary>
    public static int Next()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            lock (HandedOut)
            {
                if (HandedOut.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
