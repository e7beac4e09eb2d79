using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Orleans.Agent.Bench;

/// <summary>A store server started for the run on free loopback ports, stopped when disposed.</summary>
internal sealed class StoreProcess(Process process, string endpoint) : IAsyncDisposable
{
    /// <summary>What a client connects with: a Redis endpoint or an Azure Storage connection string.</summary>
    public string Endpoint => endpoint;

    public static async Task<StoreProcess> Redis()
    {
        var port = FreePort();
        var process = Process.Start(new ProcessStartInfo("redis-server", ["--port", Number(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]) { RedirectStandardOutput = true })!;
        await WaitForPort(port);
        return new StoreProcess(process, $"127.0.0.1:{port}");
    }

    /// <summary>Azurite from tests/azurite (scripts/test.sh installs it), in memory.</summary>
    public static async Task<StoreProcess> Azurite()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Orleans.Agent.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Run inside the checkout.");
        }

        var script = Path.Combine(root, "tests", "azurite", "node_modules", "azurite", "dist", "src", "azurite.js");
        int blob = FreePort(), table = FreePort(), queue = FreePort();
        var process = Process.Start(new ProcessStartInfo("node",
        [
            script, "--silent", "--skipApiVersionCheck", "--disableTelemetry", "--inMemoryPersistence",
            "--blobPort", Number(blob), "--tablePort", Number(table), "--queuePort", Number(queue),
        ]) { RedirectStandardOutput = true })!;
        await WaitForPort(blob);
        await WaitForPort(table);
        return new StoreProcess(process,
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
            + $"BlobEndpoint=http://127.0.0.1:{blob}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{table}/devstoreaccount1;");
    }

    public async ValueTask DisposeAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitForPort(int port)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(30); ; await Task.Delay(50))
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
            }
        }
    }

    private static string Number(int port) => port.ToString(CultureInfo.InvariantCulture);
}
