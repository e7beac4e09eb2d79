using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Orleans.Agent.Tests;

/// <summary>
/// A real redis-server process on a free loopback port, for tests that claim durability. By default it keeps
/// nothing on disk; a persistent one writes every command to an append-only file (fsync always) in a temporary
/// folder, so it comes back whole after a kill -9. Faults: <see cref="Pause"/>, <see cref="Kill"/>, <see cref="Restart"/>.
/// scripts/test.sh installs Debian's redis-server when it is missing.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly string? _dataFolder;
    private readonly string[] _security;
    private Process _process;

    private RedisServer(Process process, int port, string? dataFolder, string[] security)
    {
        _process = process;
        Port = port;
        _dataFolder = dataFolder;
        _security = security;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <param name="aclFile">Users and their rights (<c>--aclfile</c>); without one, anyone may do anything.</param>
    /// <param name="tls">Serve TLS only (no plain port), with this certificate; clients need no certificate of their own.</param>
    public static async Task<RedisServer> Start(bool persistent = false, string? aclFile = null, RedisTls? tls = null)
    {
        var port = FreePorts.Next();
        var folder = persistent ? Directory.CreateTempSubdirectory("redis-").FullName : null;
        string[] security =
        [
            .. aclFile is null ? Array.Empty<string>() : ["--aclfile", aclFile],
            .. tls is null ? Array.Empty<string>() :
                ["--tls-cert-file", tls.CertificateFile, "--tls-key-file", tls.KeyFile, "--tls-ca-cert-file", tls.CaFile, "--tls-auth-clients", "no"],
        ];
        return new RedisServer(await Launch(port, folder, security), port, folder, security);
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

    /// <summary>Starts again on the same port: with what its append-only file kept if persistent, else empty.</summary>
    public async Task Restart()
    {
        if (!_process.HasExited)
        {
            await Kill();
        }

        _process.Dispose();
        _process = await Launch(Port, _dataFolder, _security);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await Resume(); // a paused process would not die of SIGKILL any later, but be sure it is not left stopped
            await Kill();
        }

        _process.Dispose();
        if (_dataFolder is not null)
        {
            Directory.Delete(_dataFolder, recursive: true);
        }
    }

    private async Task Signal(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", _process.Id.ToString(CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    private static async Task<Process> Launch(int port, string? dataFolder, string[] security)
    {
        string[] persistence = dataFolder is null
            ? ["--save", "", "--appendonly", "no"]
            : ["--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir", dataFolder];
        var portNumber = port.ToString(CultureInfo.InvariantCulture);
        string[] ports = security.Contains("--tls-cert-file") ? ["--port", "0", "--tls-port", portNumber] : ["--port", portNumber];
        var process = Process.Start(new ProcessStartInfo("redis-server", [.. ports, "--bind", "127.0.0.1", .. persistence, .. security])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("redis-server did not start (scripts/test.sh installs it).");
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return process;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(50);
            }
        }
    }
}

/// <summary>The certificate a TLS-only <see cref="RedisServer"/> presents, its key, and the CA that issued it.</summary>
public sealed record RedisTls(string CertificateFile, string KeyFile, string CaFile);
