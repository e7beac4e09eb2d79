using System.Diagnostics;

namespace Orleans.Agent.Bench;

/// <summary>
/// The idle profile: as many SSE connections as <see cref="Profile.Connections"/>, spread over a few quiet running
/// executions, held open at once. Memory per connection is the server's resident memory with them all open minus
/// before. Then every execution is cancelled, and every connection must receive its <c>execution:cancelled</c>:
/// proof that all of them were live, not just open.
/// </summary>
internal static class IdleLoad
{
    /// <summary>Started, plan, phase start; the cancel is the fourth.</summary>
    private const long EventsWithCancel = Workload.EventsBeforeFirstStep + 1;

    /// <summary>How long the idle CPU is sampled while every connection is held.</summary>
    private static readonly TimeSpan HoldSample = TimeSpan.FromSeconds(15);

    public static async Task<RunResult> Run(Profile profile, ServerProcess server, CancellationToken cancellationToken)
    {
        using var client = new LoadClient(server.Url, users: 64, profile.Encoding);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(profile.Deadline);
        var executions = await ParkedLoad.StartAll(client, profile with { Concurrency = 32 }, deadline.Token);
        await Task.Delay(TimeSpan.FromSeconds(2), deadline.Token);
        var before = server.ResidentBytes();

        var stats = new StreamStats();
        var caughtUp = 0;
        var allCaughtUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var gate = new SemaphoreSlim(profile.Concurrency);
        var clock = Stopwatch.StartNew();
        var followers = Enumerable.Range(0, profile.Connections).Select(async c =>
        {
            var execution = c % executions.Count;
            var connected = false;
            await gate.WaitAsync(deadline.Token);
            var follower = new EventFollower(client, stats, execution, executions[execution], EventsWithCancel)
            {
                OnEvent = sequence =>
                {
                    if (sequence == Workload.EventsBeforeFirstStep && !connected)
                    {
                        connected = true;
                        gate.Release(); // this connection is open and caught up: let the next one connect
                        if (Interlocked.Increment(ref caughtUp) == profile.Connections)
                        {
                            allCaughtUp.TrySetResult();
                        }
                    }
                },
            };
            await follower.Follow(deadline.Token);
            if (!connected)
            {
                gate.Release();
            }
        }).ToList();

        await allCaughtUp.Task.WaitAsync(deadline.Token);
        var connectTime = clock.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(5), deadline.Token); // let the server settle (GC, pools)
        var held = server.ResidentBytes();
        var openFiles = server.OpenFiles();
        // What holding them costs: the server's CPU over a few catch-up intervals (5 s by default) with nothing to send.
        var cpuBefore = server.CpuSeconds();
        var holding = Stopwatch.StartNew();
        await Task.Delay(HoldSample, deadline.Token);
        var idleCpu = (server.CpuSeconds() - cpuBefore) / holding.Elapsed.TotalSeconds;

        var cancelled = Stopwatch.StartNew();
        await Task.WhenAll(executions.Select((id, i) => client.Cancel(i, id, deadline.Token)));
        await Task.WhenAll(followers);
        cancelled.Stop();

        return RunResult.FromIdle(profile, server, stats, caughtUp, connectTime, (double)(held - before) / caughtUp, openFiles, idleCpu, cancelled.Elapsed);
    }
}
