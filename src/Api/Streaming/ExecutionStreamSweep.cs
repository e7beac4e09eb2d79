using Microsoft.Extensions.Options;

namespace Orleans.Agent.Api.Streaming;

/// <summary>
/// The node's one clock for all of its SSE connections: every tick it has the hub post the heartbeats and catch-ups
/// that are due (<see cref="ExecutionStreamHub.Sweep"/>), and when the node stops it has the hub end every stream.
/// One timer for the node instead of a timer, a linked cancellation source and a <c>Task.WhenAny</c> per connection
/// per wait: with 19,000 idle connections those woke the server 3,800 times a second.
/// </summary>
public sealed class ExecutionStreamSweep(ExecutionStreamHub hub, IOptions<SseOptions> options, IHostApplicationLifetime lifetime) : BackgroundService
{
    /// <summary>Shortest tick: below this the sweep would cost more than the precision is worth.</summary>
    private static readonly TimeSpan MinTick = TimeSpan.FromMilliseconds(50);

    /// <summary>Longest tick: heartbeats and catch-ups are at most this late.</summary>
    private static readonly TimeSpan MaxTick = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A quarter of the shorter of the two intervals, between <see cref="MinTick"/> and <see cref="MaxTick"/>: a
    /// heartbeat or a catch-up is due at most one tick late (1 s with the defaults of 5 s and 30 s).
    /// </summary>
    public static TimeSpan Tick(SseOptions sse)
    {
        var quarter = (sse.CatchUpInterval < sse.HeartbeatInterval ? sse.CatchUpInterval : sse.HeartbeatInterval) / 4;
        return quarter < MinTick ? MinTick : quarter > MaxTick ? MaxTick : quarter;
    }

    private CancellationTokenRegistration _endStreams;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Streams end when the node starts stopping, before the server waits for requests to finish. Registered here
        // for the service's life, not in the loop: the loop ends on the same signal and would take the registration
        // with it before its callback ran.
        _endStreams = lifetime.ApplicationStopping.Register(hub.EndAllStreams);
        return base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _endStreams.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var sse = options.Value;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lifetime.ApplicationStopping);
        using var timer = new PeriodicTimer(Tick(sse));
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                hub.Sweep(sse.CatchUpInterval, sse.HeartbeatInterval, Environment.TickCount64);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The node is stopping.
        }
    }
}
