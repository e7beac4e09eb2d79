using System.Collections.Concurrent;
using System.Diagnostics;
using Xunit.Abstractions;

namespace Orleans.Agent.Tests;

/// <summary>
/// deploy/local-cluster.sh as a person runs it: Ctrl+C (SIGINT to the terminal's whole foreground group) stops the
/// API nodes, then the silos, then redis-server, each gracefully (no kill -9), in seconds, and leaves no process.
/// </summary>
public sealed class LocalClusterScriptTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    /// <summary>
    /// What Orleans measured about its own health (a probe that timed out, a stall, a turn of the scheduler that took
    /// too long): real when the cores are busy, so allowed; any other warning at start-up is not.
    /// </summary>
    private static readonly string[] MeasuredHealth = ["warn: Orleans.Runtime.MembershipService.", "warn: Orleans.Runtime.Scheduler.WorkItemGroup["];

    [Fact]
    public async Task Ctrl_c_stops_api_nodes_then_silos_then_the_store_gracefully_within_seconds()
    {
        var lines = new ConcurrentQueue<string>();
        // As a terminal starts a command: a session (process group) of its own, so that the SIGINT below reaches its whole
        // group as Ctrl+C does, and SIGINT handled by default (a runner started in the background would pass it on
        // ignored, and bash cannot trap a signal ignored on entry).
        const string Terminal = "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.setsid(); os.execvp(sys.argv[1], sys.argv[1:])";
        using var script = Process.Start(new ProcessStartInfo("python3", ["-c", Terminal, Path.Combine(TestPaths.RepositoryRoot, "deploy", "local-cluster.sh"), "--no-build"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = TestPaths.RepositoryRoot,
        })!;
        script.OutputDataReceived += (_, e) => Keep(lines, e.Data);
        script.ErrorDataReceived += (_, e) => Keep(lines, e.Data);
        script.BeginOutputReadLine();
        script.BeginErrorReadLine();
        int[] pids = [];
        try
        {
            await Poll.Until(() => Task.FromResult(lines.Any(l => l.StartsWith("Ready.", StringComparison.Ordinal)) || script.HasExited), Deadline);
            Assert.False(script.HasExited, string.Join('\n', lines));
            pids = [.. lines.Single(l => l.StartsWith("Processes:", StringComparison.Ordinal))["Processes:".Length..]
                .Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse)];

            // What each started with: a line that says what it is, in which cluster, with which store; nothing alarming.
            var logs = lines.Single(l => l.StartsWith("Logs:", StringComparison.Ordinal))["Logs:".Length..].Trim();
            foreach (var (file, role) in new[] { ("silo1.log", "silo"), ("silo2.log", "silo"), ("api1.log", "API node"), ("api2.log", "API node") })
            {
                // "Ready" means the API nodes reach a silo, not that both silos are done starting: wait for each one's line.
                var summary = $"Orleans.Agent {role}: cluster 'orleans-agent-local' (membership in Redis, grain directory in Redis); data in Redis at 127.0.0.1:";
                string[] started = [];
                await Poll.Until(async () => (started = await File.ReadAllLinesAsync(Path.Combine(logs, file))).Any(l => l.Contains(summary, StringComparison.Ordinal)), Deadline);
                output.WriteLine($"{file}: {started.Length} lines at start");
                // What Orleans measured is real (with every core busy, probes do time out and turns do take long).
                Assert.DoesNotContain(started, l => (l.StartsWith("warn:", StringComparison.Ordinal) && !IsMeasuredHealth(l))
                    || l.StartsWith("fail:", StringComparison.Ordinal) || l.StartsWith("crit:", StringComparison.Ordinal));
                var rest = WithoutMeasuredHealth(started);
                Assert.True(rest.Count <= 30, $"{file}: {rest.Count} lines besides measured health\n{string.Join('\n', started)}");
            }

            var clock = Stopwatch.StartNew();
            using (var ctrlC = Process.Start("kill", ["-INT", "--", $"-{script.Id}"]))
            {
                await ctrlC.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await script.WaitForExitAsync(timeout.Token);
            clock.Stop();
            await Poll.Until(() => Task.FromResult(pids.All(Gone)), TimeSpan.FromSeconds(10));

            var said = string.Join('\n', lines);
            output.WriteLine($"Ctrl+C to exit: {clock.Elapsed.TotalSeconds:F1} s.\n{said}");
            Assert.Equal(5, pids.Length); // 2 API nodes, 2 silos, redis-server
            Assert.Contains(lines, l => l.StartsWith("Stopped in ", StringComparison.Ordinal));
            Assert.DoesNotContain(lines, l => l.Contains("kill -9", StringComparison.Ordinal));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed.TotalSeconds:F1} s");
        }
        finally
        {
            foreach (var pid in pids.Where(p => !Gone(p)))
            {
                using var left = Process.Start("kill", ["-9", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                await left.WaitForExitAsync();
            }

            if (!script.HasExited)
            {
                script.Kill(entireProcessTree: true);
            }

            // The script keeps its logs for a person to read; a test has read them.
            if (lines.FirstOrDefault(l => l.StartsWith("Logs:", StringComparison.Ordinal)) is { } logs)
            {
                Directory.Delete(logs["Logs:".Length..].Trim(), recursive: true);
            }
        }
    }

    private static bool Gone(int pid) => !File.Exists($"/proc/{pid}/status") || File.ReadAllText($"/proc/{pid}/status").Contains("State:\tZ", StringComparison.Ordinal);

    private static void Keep(ConcurrentQueue<string> lines, string? line)
    {
        if (line is not null)
        {
            lines.Enqueue(line);
        }
    }

    private static bool IsMeasuredHealth(string line) => MeasuredHealth.Any(h => line.StartsWith(h, StringComparison.Ordinal));

    /// <summary>The log's lines without Orleans' measured health warnings (each a header line and its indented message).</summary>
    private static List<string> WithoutMeasuredHealth(string[] log)
    {
        var kept = new List<string>();
        var skipping = false;
        foreach (var line in log)
        {
            if (!line.StartsWith(' '))
            {
                skipping = IsMeasuredHealth(line);
            }
            if (!skipping)
            {
                kept.Add(line);
            }
        }
        return kept;
    }
}
