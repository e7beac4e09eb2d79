using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Orleans.Agent.Bench;

/// <summary>
/// A redis-server for <c>--store redis</c>, on a free loopback port and its own directory, with an append-only file
/// synced every second: the persistence a production deployment would run with, so its cost is in the figures.
/// </summary>
internal sealed class RedisProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private RedisProcess(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        ConnectionString = $"127.0.0.1:{port}";
    }

    public string ConnectionString { get; }

    public static async Task<RedisProcess> Start(int? core)
    {
        var port = ServerProcess.FreePort();
        var directory = Directory.CreateTempSubdirectory("loadgen-redis-").FullName;
        string[] args = ["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", directory,
            "--save", "", "--appendonly", "yes", "--appendfsync", "everysec"];
        var start = core is { } c && File.Exists("/usr/bin/taskset")
            ? new ProcessStartInfo("/usr/bin/taskset", ["-c", c.ToString(CultureInfo.InvariantCulture), "redis-server", .. args])
            : new ProcessStartInfo("redis-server", args);
        start.RedirectStandardOutput = true;
        var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start (scripts/test.sh installs it).");
        var redis = new RedisProcess(process, directory, port);
        for (var tries = 0; tries < 100; tries++)
        {
            try
            {
                using var socket = new TcpClient();
                await socket.ConnectAsync("127.0.0.1", port);
                return redis;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        await redis.DisposeAsync();
        throw new TimeoutException("redis-server did not listen within 5 s.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
