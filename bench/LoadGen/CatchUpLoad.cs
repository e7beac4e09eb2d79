using System.Diagnostics;

namespace Orleans.Agent.Bench;

/// <summary>
/// The catchup profile: one execution with a long log (the workload's thoughts: about 20 MB), run to its end; then
/// <see cref="Profile.Clients"/> SSE clients read it from the start at once, <see cref="Profile.Rounds"/> times. What
/// it measures is the server's resident memory while they read (sampled every 20 ms) against before, and after.
/// </summary>
internal static class CatchUpLoad
{
    public static async Task<RunResult> Run(Profile profile, ServerProcess server, CancellationToken cancellationToken)
    {
        using var client = new LoadClient(server.Url, users: 1, profile.Encoding);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(profile.Deadline);
        var executionId = await client.Start(0, profile.Workload, deadline.Token);
        var stats = new StreamStats();
        await Follow(client, stats, executionId, profile.Workload, 1, deadline.Token); // to its end: the log is complete

        var before = server.ResidentBytes();
        var peak = before;
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, server.ResidentBytes());
                await Task.Delay(20, CancellationToken.None);
            }
        }, CancellationToken.None);

        var clock = Stopwatch.StartNew();
        var readStats = new StreamStats();
        for (var round = 0; round < profile.Rounds; round++)
        {
            await Follow(client, readStats, executionId, profile.Workload, profile.Clients, deadline.Token);
        }

        var elapsed = clock.Elapsed;
        await sampling.CancelAsync();
        await sampler;
        var logBytes = (double)profile.Workload.Phases * profile.Workload.Steps * profile.Workload.ThoughtBytes;
        return RunResult.FromCatchUp(profile, server, readStats, logBytes, before, peak, server.ResidentBytes(), elapsed);
    }

    private static Task Follow(LoadClient client, StreamStats stats, string executionId, Workload workload, int clients, CancellationToken cancellationToken) =>
        Task.WhenAll(Enumerable.Range(0, clients).Select(_ =>
            new EventFollower(client, stats, 0, executionId, workload.EventCount).Follow(cancellationToken)));
}
