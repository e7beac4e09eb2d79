using System.Globalization;
using System.Text;

namespace Orleans.Agent.Bench;

/// <summary>Prints a profile's results as a Markdown table: each server side by side, and Orleans.Agent over each baseline.</summary>
internal static class Report
{
    public static string Table(IReadOnlyList<RunResult> results)
    {
        var text = new StringBuilder();
        var profile = results[0].Profile;
        text.AppendLine(CultureInfo.InvariantCulture,
            $"### {profile.Name}: {profile.Executions} executions, {profile.Concurrency} at a time, {profile.Clients} clients each{(profile.Duration is { } d ? $", rounds for {d.TotalSeconds:0} s" : profile.Rounds > 1 ? $", {profile.Rounds} rounds" : "")}{(profile.Connections > 0 ? $", {profile.Connections} connections" : "")}; workload {profile.Workload.Phases}x{profile.Workload.Steps}, {profile.Workload.DelayMs} ms, {profile.Workload.ThoughtBytes} B ({profile.Workload.EventCount} events)");
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

        text.AppendLine();
        foreach (var r in results)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{r.Server} faults: {r.Faults} ({r.FaultDetail})");
        }

        return text.ToString();
    }

    private static string Format(double? value) => value switch
    {
        null => "",
        >= 1000 => value.Value.ToString("#,0", CultureInfo.InvariantCulture),
        >= 10 => value.Value.ToString("0.0", CultureInfo.InvariantCulture),
        _ => value.Value.ToString("0.00", CultureInfo.InvariantCulture),
    };
}
