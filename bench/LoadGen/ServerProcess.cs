using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Orleans.Agent.Bench;

/// <summary>The servers the generator compares: the product, raw Kestrel with the same shape, and Node.js/Express with it.</summary>
internal enum ServerKind
{
    Orleans,
    Baseline,
    Node,
}

/// <summary>
/// A server under test, started from its build output as a process of its own (optionally pinned to one core), and
/// read from /proc for CPU time and memory.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _lastLines = new();

    private ServerProcess(ServerKind kind, Process process, Uri url)
    {
        Kind = kind;
        _process = process;
        Url = url;
    }

    public ServerKind Kind { get; }

    public Uri Url { get; }

    /// <summary>The HS256 key the product checks bearer tokens with; the generator signs its own.</summary>
    public const string SigningKey = "load-generator-signing-key-0123456789abcdef";

    /// <summary>
    /// Starts a server; for the product, <paramref name="productDirectory"/> (a publish output) instead of its build
    /// output when given, with <paramref name="productEnvironment"/> (KEY=VALUE pairs) in its environment only.
    /// </summary>
    public static async Task<ServerProcess> Start(
        ServerKind kind, string? redis, IReadOnlyList<string> settings, int? core, string? productDirectory, IReadOnlyList<string> productEnvironment,
        CancellationToken cancellationToken)
    {
        // A free port can be taken by another process between the pick and the bind (a second test suite on the machine):
        // then the server exits at once saying so, and is started again on new ports.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnce(kind, redis, settings, core, productDirectory, productEnvironment, cancellationToken);
            }
            catch (PortTakenException) when (attempt < 3)
            {
            }
        }
    }

    private static async Task<ServerProcess> StartOnce(
        ServerKind kind, string? redis, IReadOnlyList<string> settings, int? core, string? productDirectory, IReadOnlyList<string> productEnvironment,
        CancellationToken cancellationToken)
    {
        var url = new Uri($"http://127.0.0.1:{FreePort()}");
        List<string> command = kind switch
        {
            ServerKind.Orleans =>
            [
                "dotnet", productDirectory is null ? RepositoryFiles.BuildOutput("src/Api", "Orleans.Agent.Api.dll") : Path.Combine(productDirectory, "Orleans.Agent.Api.dll"),
                .. ProductArguments(url, redis), .. settings,
            ],
            ServerKind.Baseline => ["dotnet", RepositoryFiles.BuildOutput("bench/BaselineServer", "BaselineServer.dll"), "--urls", url.ToString()],
            _ => ["node", await NodeBaseline.Script(cancellationToken), "--urls", url.ToString()],
        };
        var start = core is { } c && File.Exists("/usr/bin/taskset")
            ? new ProcessStartInfo("/usr/bin/taskset", ["-c", c.ToString(CultureInfo.InvariantCulture), .. command])
            : new ProcessStartInfo(command[0], command[1..]);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var pair in kind == ServerKind.Orleans ? productEnvironment : [])
        {
            var parts = pair.Split('=', 2);
            start.Environment[parts[0]] = parts[1];
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start " + string.Join(' ', command));
        var server = new ServerProcess(kind, process, url);
        process.OutputDataReceived += (_, e) => server.Remember(e.Data);
        process.ErrorDataReceived += (_, e) => server.Remember(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilReady(cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>CPU seconds (user + system) the server has used so far.</summary>
    public double CpuSeconds()
    {
        // /proc/<pid>/stat: fields 14 and 15 are utime and stime in clock ticks (100 per second on Linux).
        var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>Resident memory now, in bytes.</summary>
    public long ResidentBytes() => StatusKilobytes("VmRSS:") * 1024;

    /// <summary>The most resident memory the process has had, in bytes.</summary>
    public long PeakResidentBytes() => StatusKilobytes("VmHWM:") * 1024;

    /// <summary>Open file descriptors of the server (its sockets included).</summary>
    public int OpenFiles() => Directory.GetFiles($"/proc/{_process.Id}/fd").Length;

    public bool HasExited => _process.HasExited;

    public string LastOutput()
    {
        lock (_lastLines)
        {
            return string.Join(Environment.NewLine, _lastLines);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static List<string> ProductArguments(Uri url, string? redis)
    {
        List<string> args =
        [
            "--urls", url.ToString(), "--contentRoot", Path.Combine(RepositoryFiles.Root, "src", "Api"),
            "--Auth:SigningKey=" + SigningKey,
            // Load, not abuse: lift the per-user and per-process guards so that they are not what is measured.
            "--Limits:ExecutionsPerMinutePerUser=1000000", "--Limits:StreamsPerUser=100000",
            "--Limits:StreamsPerProcess=1000000", "--Limits:MaxConnections=0",
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Orleans.Agent=Warning",
            $"--Silo:SiloPort={FreePort()}", $"--Silo:GatewayPort={FreePort()}",
            "--Workspace:Root=" + Path.Combine(Path.GetTempPath(), "orleans-agent-loadgen"),
        ];
        if (redis is not null)
        {
            args.Add("--Storage:Redis=" + redis);
        }

        return args;
    }

    private async Task WaitUntilReady(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                var output = LastOutput();
                throw output.Contains("address already in use", StringComparison.OrdinalIgnoreCase)
                    ? new PortTakenException(output)
                    : new InvalidOperationException($"The {Kind} server exited during start-up:{Environment.NewLine}{output}");
            }

            try
            {
                if ((await http.GetAsync("/health/ready", cancellationToken)).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // one slow probe
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException($"The {Kind} server was not ready within 60 s:{Environment.NewLine}{LastOutput()}");
    }

    private long StatusKilobytes(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            if (_lastLines.Count > 40)
            {
                _lastLines.Dequeue();
            }
        }
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The server exited during start-up because another process took one of its ports first.</summary>
    private sealed class PortTakenException(string output) : Exception("A port was taken before the server bound it: " + output);
}
