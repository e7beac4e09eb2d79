using System.Diagnostics;

namespace Orleans.Agent.Bench;

/// <summary>
/// A stream profile: starts the executions, <see cref="Profile.Concurrency"/> at a time, and follows each with
/// <see cref="Profile.Clients"/> SSE clients until its terminal event.
/// </summary>
internal static class StreamLoad
{
    /// <summary>
    /// Runs slices of the profile (at most 200 executions each, at the profile's concurrency) until
    /// <see cref="Profile.WarmUp"/> has passed, and at least one: JIT tiering, connection pools and the first grain
    /// activations are not what the profile measures.
    /// </summary>
    public static async Task WarmUp(Profile profile, ServerProcess server, CancellationToken cancellationToken)
    {
        var slice = profile with { Executions = Math.Min(profile.Executions, 200), Rounds = 1, Duration = null };
        var clock = Stopwatch.StartNew();
        do
        {
            var result = await Run(slice, server, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested(); // stopped, not faulty: its clients were cut off on purpose
            if (result.Faults > 0)
            {
                throw new InvalidOperationException($"The warm-up saw {result.Faults} faults on {server.Kind}: {result.FaultDetail}");
            }

            Console.WriteLine($"  warm-up {clock.Elapsed.TotalSeconds,5:0}s: {result.Value("events/s delivered"),8:N0} events/s");
        }
        while (clock.Elapsed < profile.WarmUp);
    }

    /// <summary>Runs the profile <see cref="Profile.Rounds"/> times in a row (or for its <see cref="Profile.Duration"/>); the figures are over all of them.</summary>
    public static async Task<RunResult> Run(Profile profile, ServerProcess server, CancellationToken cancellationToken)
    {
        var stats = new StreamStats();
        var roundRates = new List<double>();
        var elapsed = TimeSpan.Zero;
        var cpuSeconds = 0.0;
        for (var round = 1; profile.Duration is { } duration ? round == 1 || elapsed < duration : round <= profile.Rounds; round++)
        {
            var eventsBefore = Interlocked.Read(ref stats.Events);
            var (cpuBefore, bytesBefore) = (server.CpuSeconds(), LoadClient.BytesReceived);
            var roundTime = await RunRound(profile, server, stats, cancellationToken);
            cpuSeconds += server.CpuSeconds() - cpuBefore;
            stats.WireBytes += LoadClient.BytesReceived - bytesBefore;
            elapsed += roundTime;
            roundRates.Add((Interlocked.Read(ref stats.Events) - eventsBefore) / roundTime.TotalSeconds);
            if (profile.Rounds > 1 || profile.Duration is not null)
            {
                Console.WriteLine($"  round {round,3}: {roundRates[^1],8:N0} events/s");
            }
        }

        return RunResult.FromStream(profile, server, stats, elapsed, cpuSeconds, roundRates);
    }

    /// <summary>One round: every execution of the profile, followed to its end; its wall time.</summary>
    public static async Task<TimeSpan> RunRound(Profile profile, ServerProcess server, StreamStats stats, CancellationToken cancellationToken)
    {
        using var client = new LoadClient(server.Url, users: 64, profile.Encoding);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(profile.Deadline);
        using var gate = new SemaphoreSlim(profile.Concurrency);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, profile.Executions).Select(async index =>
        {
            await gate.WaitAsync(deadline.Token);
            try
            {
                await RunOne(client, profile, stats, index, deadline.Token);
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
            {
                Interlocked.Increment(ref stats.Errors);
            }
            finally
            {
                gate.Release();
            }
        }));
        return clock.Elapsed;
    }

    private static async Task RunOne(LoadClient client, Profile profile, StreamStats stats, int index, CancellationToken cancellationToken)
    {
        var posted = DateTime.UtcNow.Ticks;
        var executionId = await client.Start(index, profile.Workload, cancellationToken);
        var accepted = DateTime.UtcNow.Ticks;
        StreamStats.RecordLatency(stats.PostToAccepted, posted, accepted);
        await Task.WhenAll(Enumerable.Range(0, profile.Clients).Select(c =>
            new EventFollower(client, stats, index, executionId, profile.Workload.EventCount)
            {
                Deltas = profile.Deltas,
                OnFirstEvent = c == 0
                    ? received =>
                    {
                        StreamStats.RecordLatency(stats.PostToFirstEvent, posted, received);
                        StreamStats.RecordLatency(stats.AcceptedToFirstEvent, accepted, received);
                    }
                    : null,
            }.Follow(cancellationToken)));
    }
}
