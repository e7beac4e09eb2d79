using System.Collections.Concurrent;
using System.Diagnostics;

namespace Orleans.Agent.Tests;

/// <summary>A program run as a process, as a person or a script runs it (the terminal client, bash); its output kept line by line.</summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private static readonly TimeSpan RunDeadline = TimeSpan.FromSeconds(60);

    private readonly Process _process;

    private ChildProcess(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.StandardOutputEncoding = System.Text.Encoding.UTF8;
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Keep(Out, e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(Error, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public ConcurrentQueue<string> Out { get; } = new();

    public ConcurrentQueue<string> Error { get; } = new();

    /// <summary><c>orleans-agent</c> (src/Cli) with <paramref name="args"/> against <paramref name="api"/>, signed in with <paramref name="token"/>.</summary>
    public static ChildProcess Cli(Uri api, string? token, params string[] args) =>
        new(new ProcessStartInfo("dotnet", [TestPaths.BuildOutput("src/Cli", "Orleans.Agent.Cli.dll"), .. args])
        {
            Environment = { ["ORLEANS_AGENT_API"] = api.ToString(), ["ORLEANS_AGENT_TOKEN"] = token ?? "" },
        });

    /// <summary>A bash script, as a person pastes it into a terminal (no <c>set -e</c>).</summary>
    public static ChildProcess Bash(string script) => new(new ProcessStartInfo("bash", ["-c", script]));

    /// <summary>Runs the terminal client to its end within the deadline: the exit code and what it printed.</summary>
    public static Task<(int ExitCode, List<string> Out, List<string> Error)> RunCli(Uri api, string? token, params string[] args) => Run(Cli(api, token, args));

    /// <summary>Runs a bash script to its end within the deadline.</summary>
    public static Task<(int ExitCode, List<string> Out, List<string> Error)> RunBash(string script) => Run(Bash(script));

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

    private static async Task<(int ExitCode, List<string> Out, List<string> Error)> Run(ChildProcess child)
    {
        await using (child)
        {
            var exitCode = await child.Exited(RunDeadline);
            return (exitCode, [.. child.Out], [.. child.Error]);
        }
    }

    private static void Keep(ConcurrentQueue<string> lines, string? line)
    {
        if (line is not null)
        {
            lines.Enqueue(line);
        }
    }
}
