using System.Diagnostics;

namespace Orleans.Agent.Tests;

/// <summary>
/// A throw-away cluster CA and certificates made by deploy/cluster-certs.sh (openssl, installed by scripts/test.sh), so
/// the tests use the very files a user makes: <c>{Folder}/{role}/tls.crt|tls.key|ca.crt</c>.
/// </summary>
public sealed class ClusterCertificateFiles : IDisposable
{
    private ClusterCertificateFiles(string folder) => Folder = folder;

    public string Folder { get; }

    public static async Task<ClusterCertificateFiles> Make(params string[] roles)
    {
        var files = new ClusterCertificateFiles(Directory.CreateTempSubdirectory("cluster-certs-").FullName);
        await files.Issue(roles);
        return files;
    }

    /// <summary>New certificates for <paramref name="roles"/> from the same CA, written over the old ones: a rotation.</summary>
    public async Task Issue(params string[] roles)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(TestPaths.RepositoryRoot, "deploy", "cluster-certs.sh"), Folder, .. roles])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, "deploy/cluster-certs.sh failed: " + await error);
    }

    public string Certificate(string role) => Path.Combine(Folder, role, "tls.crt");

    public string Key(string role) => Path.Combine(Folder, role, "tls.key");

    public string Ca => Path.Combine(Folder, "ca.crt");

    /// <summary>The <c>ClusterTls</c> settings of a member in <paramref name="role"/>, as command-line arguments.</summary>
    public string[] Settings(string role, string? caFile = null) =>
    [
        "--ClusterTls:Enabled=true", $"--ClusterTls:CertificateFile={Certificate(role)}", $"--ClusterTls:KeyFile={Key(role)}",
        $"--ClusterTls:CaFile={caFile ?? Ca}",
    ];

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
