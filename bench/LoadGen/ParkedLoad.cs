using System.Diagnostics;

namespace Orleans.Agent.Bench;

/// <summary>
/// The parked profile: <see cref="Profile.Executions"/> running executions held at once on one server, each quiet
/// after its first three events. Memory per execution is resident memory with them all running minus before. A
/// sample is then followed over SSE to check that they really are running and streaming.
/// </summary>
internal static class ParkedLoad
{
    private const int Sample = 200;

    public static async Task<RunResult> Run(Profile profile, ServerProcess server, CancellationToken cancellationToken)
    {
        using var client = new LoadClient(server.Url, users: 64, profile.Encoding);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(profile.Deadline);
        var before = server.ResidentBytes();
        var cpuBefore = server.CpuSeconds();
        var clock = Stopwatch.StartNew();
        var executions = await StartAll(client, profile, deadline.Token);
        var startTime = clock.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(5), deadline.Token); // every one past its first events, the server settled
        var held = server.ResidentBytes();

        // Each of a spread-out sample must stream its first events.
        var stats = new StreamStats();
        var step = Math.Max(1, executions.Count / Sample);
        await Task.WhenAll(Enumerable.Range(0, executions.Count / step).Select(s => s * step).Select(i =>
            new EventFollower(client, stats, i, executions[i], Workload.EventsBeforeFirstStep) { StopAtSequence = Workload.EventsBeforeFirstStep }
                .Follow(deadline.Token)));

        return RunResult.FromParked(profile, server, stats, executions.Count, startTime, (double)(held - before) / executions.Count, server.CpuSeconds() - cpuBefore);
    }

    /// <summary>Starts every execution of the profile, <see cref="Profile.Concurrency"/> requests at a time; their ids in order.</summary>
    public static async Task<List<string>> StartAll(LoadClient client, Profile profile, CancellationToken cancellationToken)
    {
        var ids = new string[profile.Executions];
        using var gate = new SemaphoreSlim(profile.Concurrency);
        await Task.WhenAll(Enumerable.Range(0, profile.Executions).Select(async i =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                ids[i] = await client.Start(i, profile.Workload, cancellationToken);
            }
            finally
            {
                gate.Release();
            }
        }));
        return [.. ids];
    }
}
