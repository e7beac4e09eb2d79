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
    /// What Orleans logs at start-up on busy cores and then deals with itself, allowed (any other warning or failure
    /// is not): what it measured about its own health (a probe or a joining silo's ping that went unanswered, retried
    /// until a deadline; a scheduler turn that took too long), and a stream queue read cancelled because its pulling
    /// agent was stopped when a joining silo took over half the queues (logged twice as an error, read again by the new
    /// owner). Each is a header's start, its event id, and a text its message must contain.
    /// </summary>
    private static readonly (string Start, string EventId, string Says)[] OrleansTransients =
    [
        ("warn: Orleans.Runtime.MembershipService.", "", ""),
        ("warn: Orleans.Runtime.Scheduler.WorkItemGroup[", "", ""),
        ("fail: Orleans.Runtime.MembershipService.MembershipAgent[", "[100661]", "Failed to get ping responses"),
        ("fail: Orleans.Providers.MemoryAdapterReceiver`1[", "[200402]", "System.OperationCanceledException"),
        ("fail: Orleans.Streams.AgentStreams[", "[103312]", "System.OperationCanceledException"),
    ];

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
                // Each process logs its summary line once it has started; wait for it rather than assume the order.
                var summary = $"Orleans.Agent {role}: cluster 'orleans-agent-local' (membership in Redis, grain directory in Redis); data in Redis at 127.0.0.1:";
                string[] started = [];
                await Poll.Until(async () => (started = await File.ReadAllLinesAsync(Path.Combine(logs, file))).Any(l => l.Contains(summary, StringComparison.Ordinal)), Deadline);
                output.WriteLine($"{file}: {started.Length} lines at start");
                var entries = Entries(started);
                var alarming = entries.Where(e => !IsOrleansTransient(e) && (e[0].StartsWith("warn:", StringComparison.Ordinal)
                    || e[0].StartsWith("fail:", StringComparison.Ordinal) || e[0].StartsWith("crit:", StringComparison.Ordinal))).ToList();
                Assert.True(alarming.Count == 0, $"{file}: {string.Join('\n', alarming.Select(e => e[0]))}\n\n{string.Join('\n', started)}");
                var rest = entries.Where(e => !IsOrleansTransient(e)).Sum(e => e.Count);
                Assert.True(rest <= 30, $"{file}: {rest} lines besides Orleans' transients\n{string.Join('\n', started)}");
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

    private static bool IsOrleansTransient(List<string> entry) => OrleansTransients.Any(t =>
        entry[0].StartsWith(t.Start, StringComparison.Ordinal) && entry[0].EndsWith(t.EventId, StringComparison.Ordinal)
        && entry.Any(l => l.Contains(t.Says, StringComparison.Ordinal)));

    /// <summary>A console log's entries: each a header line ("warn: Category[id]") and the indented lines of its message.</summary>
    private static List<List<string>> Entries(string[] log)
    {
        var entries = new List<List<string>>();
        foreach (var line in log)
        {
            if (line.StartsWith(' ') && entries.Count > 0)
            {
                entries[^1].Add(line);
            }
            else
            {
                entries.Add([line]);
            }
        }
        return entries;
    }
}
