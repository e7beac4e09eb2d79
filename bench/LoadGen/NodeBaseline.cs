using System.Diagnostics;

namespace Orleans.Agent.Bench;

/// <summary>bench/NodeBaseline: its script, with its npm packages installed from its lock file the first time.</summary>
internal static class NodeBaseline
{
    public static async Task<string> Script(CancellationToken cancellationToken)
    {
        var directory = Path.Combine(RepositoryFiles.Root, "bench", "NodeBaseline");
        if (!Directory.Exists(Path.Combine(directory, "node_modules", "express")))
        {
            using var install = Process.Start(new ProcessStartInfo("npm", ["ci", "--prefix", directory, "--no-audit", "--no-fund", "--loglevel=error"]))
                ?? throw new InvalidOperationException("Could not run npm: the Node.js baseline needs Node.js 20 or later with npm.");
            await install.WaitForExitAsync(cancellationToken);
            if (install.ExitCode != 0)
            {
                throw new InvalidOperationException($"npm ci in {directory} failed with exit code {install.ExitCode}.");
            }
        }

        return Path.Combine(directory, "server.mjs");
    }
}
