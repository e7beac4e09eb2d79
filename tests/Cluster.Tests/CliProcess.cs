using System.Collections.Concurrent;
using System.Diagnostics;

namespace Orleans.Agent.Tests;

/// <summary>The terminal client (src/Cli) run as a process, as a user or a script runs it; its output kept line by line.</summary>
internal sealed class CliProcess : IAsyncDisposable
{
    private readonly Process _process;

    private CliProcess(Process process) => _process = process;

    public ConcurrentQueue<string> Out { get; } = new();

    public ConcurrentQueue<string> Error { get; } = new();

    /// <summary>Starts <c>orleans-agent</c> with <paramref name="args"/> against <paramref name="api"/>, signed in with <paramref name="token"/>.</summary>
    public static CliProcess Start(Uri api, string? token, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [TestPaths.BuildOutput("src/Cli", "Orleans.Agent.Cli.dll"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
            Environment = { ["ORLEANS_AGENT_API"] = api.ToString(), ["ORLEANS_AGENT_TOKEN"] = token ?? "" },
        };
        var cli = new CliProcess(Process.Start(start)!);
        cli._process.OutputDataReceived += (_, e) => Keep(cli.Out, e.Data);
        cli._process.ErrorDataReceived += (_, e) => Keep(cli.Error, e.Data);
        cli._process.BeginOutputReadLine();
        cli._process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>Runs it to its end within the deadline: the exit code and what it printed.</summary>
    public static async Task<(int ExitCode, List<string> Out, List<string> Error)> Run(Uri api, string? token, params string[] args)
    {
        await using var cli = Start(api, token, args);
        var exitCode = await cli.Exited(TimeSpan.FromSeconds(60));
        return (exitCode, [.. cli.Out], [.. cli.Error]);
    }

    /// <summary>Its exit code once it has ended (and its output has been read to the end).</summary>
    public async Task<int> Exited(TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
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

    private static void Keep(ConcurrentQueue<string> lines, string? line)
    {
        if (line is not null)
        {
            lines.Enqueue(line);
        }
    }
}
