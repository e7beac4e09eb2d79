using System.Globalization;
using HdrHistogram;

namespace Orleans.Agent.Bench;

/// <summary>One profile's figures on one server, as named rows of the report, plus the fault count that decides the exit code.</summary>
internal sealed record RunResult(Profile Profile, ServerKind Server, IReadOnlyList<(string Metric, double Value, string Unit)> Rows, long Faults, string FaultDetail)
{
    /// <summary>A stream profile's figures over all its rounds; each round's events/s are kept for the spread.</summary>
    public static RunResult FromStream(
        Profile profile, ServerProcess server, StreamStats stats, TimeSpan elapsed, double cpuSeconds, IReadOnlyList<double> roundRates) =>
        new(profile, server.Kind,
        [
            ("events delivered", stats.Events, ""),
            ("events/s delivered", stats.Events / elapsed.TotalSeconds, ""),
            ("events/s, slowest round", roundRates.Min(), ""),
            ("events/s, fastest round", roundRates.Max(), ""),
            .. Percentiles("emit→receive", stats.EmitToReceive),
            .. Percentiles("emit→receive, emitted after the stream opened", stats.LiveEmitToReceive),
            .. (stats.Deltas > 0 ? [("deltas delivered", (double)stats.Deltas, "")] : Array.Empty<(string, double, string)>()),
            .. Percentiles("token→receive", stats.TokenToReceive),
            .. Percentiles("POST→202", stats.PostToAccepted),
            .. Percentiles("202→first event", stats.AcceptedToFirstEvent),
            .. Percentiles("POST→first event", stats.PostToFirstEvent),
            ("wall time, all rounds", elapsed.TotalSeconds, "s"),
            ("server CPU", cpuSeconds / elapsed.TotalSeconds * 100, "% of a core"),
            ("server CPU per event", cpuSeconds / stats.Events * 1e6, "µs"),
            .. (stats.WireBytes > 0 ? [("wire bytes per event", (double)stats.WireBytes / stats.Events, "")] : Array.Empty<(string, double, string)>()),
            ("server peak memory", server.PeakResidentBytes() / 1048576.0, "MiB"),
        ], stats.Faults, Detail(stats));

    public static RunResult FromIdle(
        Profile profile, ServerProcess server, StreamStats stats, int connections, TimeSpan connectTime, double bytesPerConnection, int openFiles, double idleCpuShare, TimeSpan cancelFanOut) =>
        new(profile, server.Kind,
        [
            ("connections held", connections, ""),
            ("memory per connection", bytesPerConnection / 1024, "KiB"),
            // Issue 7's target is in bytes (16,000), and a tenth of a KiB is too coarse to read it.
            ("memory per connection in bytes", bytesPerConnection, ""),
            ("server open files", openFiles, ""),
            ("server CPU while holding them", idleCpuShare * 100, "% of a core"),
            ("time to open and catch up all", connectTime.TotalSeconds, "s"),
            ("cancel → all connections ended", cancelFanOut.TotalMilliseconds, "ms"),
            ("server peak memory", server.PeakResidentBytes() / 1048576.0, "MiB"),
        ], stats.Faults, Detail(stats));

    public static RunResult FromParked(
        Profile profile, ServerProcess server, StreamStats stats, int executions, TimeSpan startTime, double bytesPerExecution, double cpuSeconds) =>
        new(profile, server.Kind,
        [
            ("executions running", executions, ""),
            ("memory per execution", bytesPerExecution / 1024, "KiB"),
            ("starts/s", executions / startTime.TotalSeconds, ""),
            ("server CPU while starting", cpuSeconds / startTime.TotalSeconds * 100, "% of a core"),
            ("server peak memory", server.PeakResidentBytes() / 1048576.0, "MiB"),
            ("sample followed (events)", stats.Events, ""),
        ], stats.Faults, Detail(stats));

    public static RunResult FromCatchUp(
        Profile profile, ServerProcess server, StreamStats stats, double logBytes, long before, long peak, long after, TimeSpan elapsed) =>
        new(profile, server.Kind,
        [
            ("log size (thoughts)", logBytes / 1048576, "MiB"),
            ("whole-log reads", (double)profile.Clients * profile.Rounds, ""),
            ("clients reading at once", profile.Clients, ""),
            ("events delivered", stats.Events, ""),
            ("MiB/s delivered", logBytes * profile.Clients * profile.Rounds / 1048576 / elapsed.TotalSeconds, ""),
            ("memory before the reads", before / 1048576.0, "MiB"),
            ("memory peak while reading", peak / 1048576.0, "MiB"),
            ("memory growth while reading", (peak - before) / 1048576.0, "MiB"),
            ("memory after the reads", after / 1048576.0, "MiB"),
        ], stats.Faults, Detail(stats));

    /// <summary>One server's runs as one: each figure's median (of the runs that report it), every run's faults.</summary>
    public static RunResult Median(IReadOnlyList<RunResult> runs) => runs.Count == 1
        ? runs[0]
        : runs[0] with
        {
            Rows = [.. runs[0].Rows.Select(row => (row.Metric, Median(runs.Select(r => r.Value(row.Metric)).OfType<double>().ToList()), row.Unit))],
            Faults = runs.Sum(r => r.Faults),
            FaultDetail = string.Join("; ", runs.Select(r => r.FaultDetail).Distinct()),
        };

    private static double Median(List<double> values)
    {
        values.Sort();
        var middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    public double? Value(string metric) => Rows.FirstOrDefault(r => r.Metric == metric) is { Metric: not null } row ? row.Value : null;

    private static readonly double[] ReportedPercentiles = [50, 90, 99];

    private static IEnumerable<(string, double, string)> Percentiles(string name, LongConcurrentHistogram histogram) =>
        histogram.TotalCount == 0
            ? []
            : ReportedPercentiles.Select(p => ($"{name} p{p:0}", histogram.GetValueAtPercentile(p) / 1000.0, "ms"))
                .Append(($"{name} max", histogram.GetMaxValue() / 1000.0, "ms"));

    private static string Detail(StreamStats s) => string.Create(CultureInfo.InvariantCulture,
        $"gaps {s.Gaps}, duplicates {s.Duplicates}, reorders {s.Reorders}, missing {s.Missing}, incomplete clients {s.Incomplete}, errors {s.Errors}, reconnects {s.Reconnects}");
}
