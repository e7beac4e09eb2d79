using System.Globalization;
using System.Text;

namespace Orleans.Agent.Bench;

/// <summary>
/// Prints a profile's results as a Markdown table: each server side by side, and Orleans.Agent over each baseline. With
/// several runs per server (<c>--repeat</c>), each figure is the median of that server's runs, and a second table
/// gives the headline figure of every run with the ratios run by run.
/// </summary>
internal static class Report
{
    /// <summary>The figure a run is judged by, per profile kind: the first of these that the run reports.</summary>
    private static readonly string[] Headlines = ["events/s delivered", "memory per connection in bytes", "starts/s", "MiB/s delivered"];

    public static string Table(IReadOnlyList<RunResult> runs)
    {
        var results = runs.GroupBy(r => r.Server).Select(g => RunResult.Median([.. g])).ToList();
        var repeats = runs.Count / results.Count;
        var text = new StringBuilder();
        var profile = results[0].Profile;
        text.AppendLine(CultureInfo.InvariantCulture,
            $"### {profile.Name}: {profile.Executions} executions, {profile.Concurrency} at a time, {profile.Clients} clients each{(profile.Duration is { } d ? $", rounds for {d.TotalSeconds:0} s" : profile.Rounds > 1 ? $", {profile.Rounds} rounds" : "")}{(profile.Connections > 0 ? $", {profile.Connections} connections" : "")}{(repeats > 1 ? $"; median of {repeats} runs per server" : "")}; workload {profile.Workload.Phases}x{profile.Workload.Steps}, {profile.Workload.DelayMs} ms, {profile.Workload.ThoughtBytes} B ({profile.Workload.EventCount} events)");
        text.AppendLine();
        text.Append("| metric |");
        foreach (var r in results)
        {
            text.Append(CultureInfo.InvariantCulture, $" {r.Server} |");
        }

        var ours = results.FirstOrDefault(r => r.Server == ServerKind.Orleans);
        var baselines = ours is null ? [] : results.Where(r => r.Server != ServerKind.Orleans).ToList();
        text.AppendLine(string.Concat(baselines.Select(b => $" Orleans / {b.Server} |")));
        text.AppendLine("|---|" + string.Concat(results.Select(_ => "---:|")) + string.Concat(baselines.Select(_ => "---:|")));
        foreach (var (metric, _, unit) in results[0].Rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {metric}{(unit.Length > 0 ? $" ({unit})" : "")} |");
            foreach (var r in results)
            {
                text.Append(CultureInfo.InvariantCulture, $" {Format(r.Value(metric))} |");
            }

            foreach (var baseline in baselines)
            {
                var (a, b) = (ours!.Value(metric), baseline.Value(metric));
                text.Append(CultureInfo.InvariantCulture, $" {(a is { } x && b is { } y && y != 0 ? (x / y).ToString("0.00", CultureInfo.InvariantCulture) + "x" : "")} |");
            }

            text.AppendLine();
        }

        if (repeats > 1)
        {
            AppendRuns(text, runs, ours, baselines);
        }

        text.AppendLine();
        foreach (var r in results)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{r.Server} faults: {r.Faults} ({r.FaultDetail})");
        }

        return text.ToString();
    }

    /// <summary>Every run's headline figure, in the order they ran, and the product's over each baseline's in the same round.</summary>
    private static void AppendRuns(StringBuilder text, IReadOnlyList<RunResult> runs, RunResult? ours, IReadOnlyList<RunResult> baselines)
    {
        var headline = Headlines.FirstOrDefault(h => runs[0].Value(h) is not null) ?? runs[0].Rows[0].Metric;
        var servers = runs.Select(r => r.Server).Distinct().ToList();
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"{headline}, run by run (servers in turn, each run a fresh process):");
        text.AppendLine();
        text.AppendLine("| run |" + string.Concat(servers.Select(s => $" {s} |")) + string.Concat(baselines.Select(b => $" Orleans / {b.Server} |")));
        text.AppendLine("|---|" + string.Concat(servers.Select(_ => "---:|")) + string.Concat(baselines.Select(_ => "---:|")));
        for (var i = 0; i < runs.Count / servers.Count; i++)
        {
            var round = runs.Skip(i * servers.Count).Take(servers.Count).ToList();
            text.Append(CultureInfo.InvariantCulture, $"| {i + 1} |");
            foreach (var r in round)
            {
                text.Append(CultureInfo.InvariantCulture, $" {Format(r.Value(headline))} |");
            }

            var mine = ours is null ? null : round.First(r => r.Server == ServerKind.Orleans).Value(headline);
            foreach (var baseline in baselines)
            {
                var theirs = round.First(r => r.Server == baseline.Server).Value(headline);
                text.Append(CultureInfo.InvariantCulture, $" {(mine is { } x && theirs is { } y && y != 0 ? (x / y).ToString("0.00", CultureInfo.InvariantCulture) + "x" : "")} |");
            }

            text.AppendLine();
        }
    }

    private static string Format(double? value) => value switch
    {
        null => "",
        >= 1000 => value.Value.ToString("#,0", CultureInfo.InvariantCulture),
        >= 10 => value.Value.ToString("0.0", CultureInfo.InvariantCulture),
        _ => value.Value.ToString("0.00", CultureInfo.InvariantCulture),
    };
}
