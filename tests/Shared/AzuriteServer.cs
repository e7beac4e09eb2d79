using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Orleans.Agent.Tests;

/// <summary>
/// A real Azurite process (the Azure Storage emulator: blob, queue and table services) on free loopback ports, for
/// tests that claim durability on Azure Storage. By default it keeps everything in memory; a persistent one keeps its
/// data in a temporary folder, so it comes back with it after <see cref="Restart"/>. Faults: <see cref="Pause"/>,
/// <see cref="Kill"/>, <see cref="Restart"/>. scripts/test.sh installs Azurite (pinned, tests/azurite) from npm.
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    // Azurite's one account, the same on every installation (public, documented, not a secret).
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly string _folder;
    private readonly bool _persistent;
    private Process _process;

    private AzuriteServer(Process process, int blobPort, int tablePort, int queuePort, string folder, bool persistent)
    {
        _process = process;
        BlobPort = blobPort;
        TablePort = tablePort;
        QueuePort = queuePort;
        _folder = folder;
        _persistent = persistent;
    }

    public int BlobPort { get; }

    public int TablePort { get; }

    public int QueuePort { get; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};"
        + $"BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;";

    /// <summary>The same account through other ports (a proxy in front of Azurite's, say).</summary>
    public string ConnectionStringVia(int blobPort, int tablePort) =>
        ConnectionString.Replace($":{BlobPort}/", $":{blobPort}/", StringComparison.Ordinal).Replace($":{TablePort}/", $":{tablePort}/", StringComparison.Ordinal);

    public static async Task<AzuriteServer> Start(bool persistent = false)
    {
        var folder = Directory.CreateTempSubdirectory("azurite-").FullName;
        // A free port can be taken by another process between the pick and the bind (another suite on the machine),
        // and then Azurite exits without listening: start it again on new ports.
        for (var attempt = 1; ; attempt++)
        {
            int blob = FreePorts.Next(), table = FreePorts.Next(), queue = FreePorts.Next();
            try
            {
                return new AzuriteServer(await Launch(blob, table, queue, folder, persistent), blob, table, queue, folder, persistent);
            }
            catch (SocketException) when (attempt < 3)
            {
            }
        }
    }

    /// <summary>SIGSTOP: the process keeps its connections and its data but answers nothing until <see cref="Resume"/>.</summary>
    public Task Pause() => Signal("STOP");

    public Task Resume() => Signal("CONT");

    /// <summary>kill -9.</summary>
    public async Task Kill()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>Stops (if it runs) and starts again on the same ports: with its data if persistent, else empty.</summary>
    public async Task Restart()
    {
        await Stop();
        _process.Dispose();
        _process = await Launch(BlobPort, TablePort, QueuePort, _folder, _persistent);
    }

    /// <summary>SIGTERM (Azurite saves what it holds), and waits for the process to end.</summary>
    public async Task Stop()
    {
        if (!_process.HasExited)
        {
            await Signal("TERM");
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await _process.WaitForExitAsync(deadline.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await Resume();
            await Kill();
        }

        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task Signal(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", _process.Id.ToString(CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    private static async Task<Process> Launch(int blob, int table, int queue, string folder, bool persistent)
    {
        var script = Path.Combine(TestPaths.RepositoryRoot, "tests", "azurite", "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"Azurite is not installed at {script}: scripts/test.sh installs it (npm ci --prefix tests/azurite).");
        }

        string[] ports =
        [
            "--blobHost", "127.0.0.1", "--blobPort", Number(blob), "--tableHost", "127.0.0.1", "--tablePort", Number(table),
            "--queueHost", "127.0.0.1", "--queuePort", Number(queue),
        ];
        // The Azure SDKs may be newer than the emulator's newest service version: it would refuse them.
        string[] settings = ["--silent", "--skipApiVersionCheck", "--disableTelemetry", .. persistent ? new[] { "--location", folder } : ["--inMemoryPersistence"]];
        var process = Process.Start(new ProcessStartInfo("node", [script, .. ports, .. settings])
        {
            WorkingDirectory = folder, // its debug log and lock files, if any
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("node did not start Azurite.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        try
        {
            foreach (var port in new[] { blob, table })
            {
                while (true)
                {
                    try
                    {
                        using var client = new TcpClient();
                        await client.ConnectAsync("127.0.0.1", port);
                        break;
                    }
                    catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
                    {
                        await Task.Delay(50);
                    }
                }
            }
        }
        catch (SocketException)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true); // not listening by the deadline: not left behind
            }

            process.Dispose();
            throw;
        }

        return process;
    }

    private static string Number(int port) => port.ToString(CultureInfo.InvariantCulture);
}
