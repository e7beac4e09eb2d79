namespace Orleans.Agent.Bench;

/// <summary>
/// The live-text profile: each round runs, on the same warm server and over the same time, the workload with live text
/// (clients on <c>?deltas=true</c>), the same executions without it (<see cref="Workload.WithoutDeltas"/>), the
/// same executions with as many more durable events as there were deltas (<see cref="Workload.DeltasAsEvents"/>), and
/// the first run again with clients that do not ask for live text (the model writes it piece by piece all the same).
/// Over the run without live text, the first prices one more delta and the third one more durable event; over the
/// fourth, the first prices what delivering the pieces costs, apart from the model's waking up to write each one.
/// </summary>
internal static class DeltaLoad
{
    public static async Task<RunResult> Run(Profile profile, ServerProcess server, CancellationToken cancellationToken)
    {
        var withText = new StreamStats();
        var without = new StreamStats();
        var asEvents = new StreamStats();
        var notAsked = new StreamStats();
        var plain = profile with { Deltas = false, Workload = profile.Workload.WithoutDeltas };
        var durable = profile with { Deltas = false, Workload = profile.Workload.DeltasAsEvents };
        var unasked = profile with { Deltas = false };
        double cpuWith = 0, cpuWithout = 0, cpuAsEvents = 0, cpuNotAsked = 0;
        var (elapsedWith, elapsedWithout, elapsedNotAsked) = (TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);
        for (var round = 1; round <= profile.Rounds; round++)
        {
            var cpu = server.CpuSeconds();
            elapsedWith += await StreamLoad.RunRound(profile, server, withText, cancellationToken);
            cpuWith += server.CpuSeconds() - cpu;
            cpu = server.CpuSeconds();
            elapsedWithout += await StreamLoad.RunRound(plain, server, without, cancellationToken);
            cpuWithout += server.CpuSeconds() - cpu;
            cpu = server.CpuSeconds();
            await StreamLoad.RunRound(durable, server, asEvents, cancellationToken);
            cpuAsEvents += server.CpuSeconds() - cpu;
            cpu = server.CpuSeconds();
            elapsedNotAsked += await StreamLoad.RunRound(unasked, server, notAsked, cancellationToken);
            cpuNotAsked += server.CpuSeconds() - cpu;
            Console.WriteLine(
                $"  round {round,3}: CPU {cpuWith:F1} s with live text, {cpuWithout:F1} s without, {cpuAsEvents:F1} s with its deltas as durable events, {cpuNotAsked:F1} s written but not asked for");
        }

        var perEvent = (cpuAsEvents - cpuWithout) / Math.Max(1, asEvents.Events - without.Events) * 1e6;
        var perDelta = (cpuWith - cpuWithout) / Math.Max(1, withText.Deltas) * 1e6;
        // A connection that falls behind gets the pieces of one text merged into one delta, so the model's pieces are
        // the work offered: pricing per piece is what a node pays for a model writing that fast.
        var pieces = profile.Workload.DeltaCount * profile.Executions * profile.Clients * profile.Rounds;
        var perPiece = (cpuWith - cpuWithout) / Math.Max(1, pieces) * 1e6;
        var perPieceDelivered = (cpuWith - cpuNotAsked) / Math.Max(1, pieces) * 1e6;
        var result = RunResult.FromStream(profile, server, withText, elapsedWith, cpuWith, [withText.Events / elapsedWith.TotalSeconds]);
        return result with
        {
            Rows =
            [
                .. result.Rows,
                ("deltas/s delivered", withText.Deltas / elapsedWith.TotalSeconds, ""),
                ("server CPU without live text", cpuWithout / elapsedWithout.TotalSeconds * 100, "% of a core"),
                ("durable events/s with the deltas as events", asEvents.Events / elapsedWith.TotalSeconds, ""),
                ("server CPU per extra durable event", perEvent, "µs"),
                ("server CPU per delta", perDelta, "µs"),
                ("delta / durable event", perDelta / perEvent, "x"),
                ("pieces written per delta delivered", (double)pieces / Math.Max(1, withText.Deltas), ""),
                ("server CPU per piece written", perPiece, "µs"),
                ("piece / durable event", perPiece / perEvent, "x"),
                ("server CPU with the pieces written but not asked for", cpuNotAsked / elapsedNotAsked.TotalSeconds * 100, "% of a core"),
                ("server CPU per piece delivered", perPieceDelivered, "µs"),
                ("piece delivered / durable event", perPieceDelivered / perEvent, "x"),
            ],
            Faults = withText.Faults + without.Faults + asEvents.Faults + notAsked.Faults,
        };
    }
}
