using System.Diagnostics;
using Xunit.Abstractions;

namespace Orleans.Agent.Tests;

/// <summary>
/// The load generator (bench/LoadGen) run as it is run by hand, on its small "smoke" profile: every client of every
/// execution must get every event once and in order, on the product (both live sources) and on both baselines (raw
/// Kestrel, Node.js/Express).
/// Correctness only: the figures it prints are not asserted, they depend on the machine.
/// </summary>
public sealed class LoadGeneratorSmokeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_smoke_profile_delivers_every_event_once_and_in_order_on_the_product_and_the_baselines()
    {
        var (exitCode, text) = await RunLoadGen("smoke", "--no-pin");

        Assert.True(exitCode == 0, text);
        Assert.Contains("Orleans faults: 0 ", text, StringComparison.Ordinal);
        Assert.Contains("Baseline faults: 0 ", text, StringComparison.Ordinal);
        Assert.Contains("Node faults: 0 ", text, StringComparison.Ordinal);
        Assert.Contains("| events delivered | 300.0 | 300.0 | 300.0 |", text, StringComparison.Ordinal); // 6 executions x 2 clients x 25 events
    }

    [Fact]
    public async Task The_smoke_profile_also_passes_with_the_Orleans_stream_as_the_live_source()
    {
        var (exitCode, text) = await RunLoadGen("smoke", "--no-pin", "--server", "orleans", "--set", "Sse:LiveSource=Stream");

        Assert.True(exitCode == 0, text);
        Assert.Contains("Orleans faults: 0 ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_smoke_profile_also_passes_on_a_cluster_with_mutual_tls()
    {
        var (exitCode, text) = await RunLoadGen("smoke", "--no-pin", "--server", "orleans", "--cluster", "tls");

        Assert.True(exitCode == 0, text);
        Assert.Contains("API node + silo process with mutual TLS", text, StringComparison.Ordinal);
        Assert.Contains("Orleans faults: 0 ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_deltas_profile_runs_its_three_workloads_and_reports_live_text_figures()
    {
        var (exitCode, text) = await RunLoadGen("deltas", "--no-pin", "--executions", "4", "--concurrency", "4", "--warmup", "0", "--rounds", "1");

        Assert.True(exitCode == 0, text);
        Assert.Contains("Orleans faults: 0 ", text, StringComparison.Ordinal);
        Assert.Contains("| events delivered | 80.0 |", text, StringComparison.Ordinal); // 4 executions x 20 events
        Assert.Matches(@"\| deltas delivered \| [1-9]", text); // up to 4 x 5 x 50, fewer if some were merged
        Assert.Contains("| server CPU per delta (µs) |", text, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Output)> RunLoadGen(params string[] args)
    {
        var dll = TestPaths.BuildOutput("bench/LoadGen", "LoadGen.dll");
        using var process = Process.Start(new ProcessStartInfo("dotnet", [dll, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("LoadGen did not finish within 4 minutes: " + await stdout);
        }

        var text = await stdout + await stderr;
        output.WriteLine(text);
        return (process.ExitCode, text);
    }
}
