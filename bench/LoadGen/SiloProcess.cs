using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Orleans.Agent.Bench;

/// <summary>
/// For <c>--cluster</c>: a standalone silo process on Redis clustering, which the product server then joins as an API
/// node (an Orleans client), optionally with mutual TLS between the two (certificates from deploy/cluster-certs.sh).
/// </summary>
internal sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string? _certificates;

    private SiloProcess(Process process, string? certificates, List<string> apiSettings)
    {
        _process = process;
        _certificates = certificates;
        ApiSettings = apiSettings;
    }

    /// <summary>What an API node adds to its settings to join this silo's cluster.</summary>
    public List<string> ApiSettings { get; }

    public static async Task<SiloProcess> Start(string redis, bool tls, int? core)
    {
        var certificates = tls ? await MakeCertificates() : null;
        string[] TlsSettings(string role) => certificates is null ? [] :
        [
            "--ClusterTls:Enabled=true", $"--ClusterTls:CertificateFile={certificates}/{role}/tls.crt",
            $"--ClusterTls:KeyFile={certificates}/{role}/tls.key", $"--ClusterTls:CaFile={certificates}/ca.crt",
        ];

        var gateway = ServerProcess.FreePort();
        string[] args =
        [
            RepositoryFiles.BuildOutput("src/Silo", "Orleans.Agent.Silo.dll"), "--Storage:Redis=" + redis, "--Silo:Clustering=Redis",
            $"--Silo:SiloPort={ServerProcess.FreePort()}", $"--Silo:GatewayPort={gateway}", "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Orleans.Agent=Warning", "--Workspace:Root=" + Path.Combine(Path.GetTempPath(), "orleans-agent-loadgen"),
            .. TlsSettings("silo"),
        ];
        var start = core is { } c && File.Exists("/usr/bin/taskset")
            ? new ProcessStartInfo("/usr/bin/taskset", ["-c", c.ToString(CultureInfo.InvariantCulture), "dotnet", .. args])
            : new ProcessStartInfo("dotnet", args);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the silo.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var silo = new SiloProcess(process, certificates, ["--Hosting:Mode=Client", "--Storage:Redis=" + redis, "--Silo:Clustering=Redis", .. TlsSettings("api")]);

        // The gateway listens once the silo is active in the membership table, where the API node looks for it.
        for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline && !process.HasExited; await Task.Delay(100))
        {
            try
            {
                using var socket = new TcpClient();
                await socket.ConnectAsync("127.0.0.1", gateway);
                return silo;
            }
            catch (SocketException)
            {
            }
        }

        await silo.DisposeAsync();
        throw new TimeoutException("The silo's gateway did not open within 60 s.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        if (_certificates is not null)
        {
            Directory.Delete(_certificates, recursive: true);
        }
    }

    private static async Task<string> MakeCertificates()
    {
        var folder = Directory.CreateTempSubdirectory("loadgen-certs-").FullName;
        using var script = Process.Start("bash", [Path.Combine(RepositoryFiles.Root, "deploy", "cluster-certs.sh"), folder, "silo", "api"]);
        await script.WaitForExitAsync();
        return script.ExitCode == 0 ? folder : throw new InvalidOperationException("deploy/cluster-certs.sh failed (it needs openssl).");
    }
}
