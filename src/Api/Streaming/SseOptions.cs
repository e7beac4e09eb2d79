using System.ComponentModel.DataAnnotations;

namespace Orleans.Agent.Api.Streaming;

/// <summary>Configuration section <c>Sse</c>: how execution streams are served.</summary>
public sealed class SseOptions
{
    public const string Section = "Sse";

    /// <summary>A <c>: ping</c> comment after this much silence keeps proxies and load balancers from closing the connection.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// After this much silence on the live path the connection checks whether the log moved on (one check per
    /// execution per node, shared by its connections) and reads it if so, so an event whose publish was lost (or a
    /// lost subscription) costs about this delay, at most twice it, never a hang.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan CatchUpInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Live events buffered per connection. A client that stops reading fills it and is disconnected (it resumes with
    /// its Last-Event-ID), so server memory stays bounded and other clients are not held back.
    /// </summary>
    [Range(4, 1_000_000)]
    public int LiveBufferEvents { get; set; } = 1024;

    /// <summary>The same bound in bytes (the events' SSE frames).</summary>
    [Range(1_024, 1L << 32)]
    public long LiveBufferBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// How live events reach this node: <see cref="LiveEventSource.Push"/> (the execution grain calls the node with each
    /// durable batch) or <see cref="LiveEventSource.Stream"/> (the node subscribes to the execution's Orleans stream,
    /// which adds the pulling agents' delay). The log fills any gap either way. Live text (<c>?deltas=true</c>) takes
    /// the push path only: the stream carries durable batches.
    /// </summary>
    public LiveEventSource LiveSource { get; set; } = LiveEventSource.Push;

    /// <summary>
    /// When this node co-hosts a silo, grains on that silo hand it their batches by a method call instead of a
    /// message (see <c>IInProcessWatchers</c>). False sends messages as to a node in another process: for measuring that
    /// path on one machine, and for tests that lose pushes on the way.
    /// </summary>
    public bool InProcessPush { get; set; } = true;

    /// <summary>
    /// Most live-text wake-ups (<c>text:delta</c> writes) this node makes a second, per core. Below it every piece of
    /// text is written as it comes; above it connections take turns, and the pieces of a text that come meanwhile
    /// go out as one delta (each write costs a send). 0: no limit.
    /// </summary>
    [Range(0, 10_000_000)]
    public int TextFrameRate { get; set; } = 10_000;

    /// <summary>The <c>retry:</c> sent to clients: how long a browser waits before reconnecting.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ClientRetryDelay { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>See <see cref="SseOptions.LiveSource"/>.</summary>
public enum LiveEventSource
{
    Push,
    Stream,
}
