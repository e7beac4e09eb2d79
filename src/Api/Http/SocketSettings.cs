using System.ComponentModel.DataAnnotations;

namespace Orleans.Agent.Api.Http;

/// <summary>Configuration section <c>Sockets</c>: how Kestrel accepts connections and schedules its socket work.</summary>
public sealed class SocketSettings
{
    public const string Section = "Sockets";

    /// <summary>
    /// Connections the kernel holds for Kestrel to accept (the listen backlog; Linux caps it at
    /// <c>net.core.somaxconn</c>, 4096 by default). Kestrel's own default, 512, overflowed when a thousand streams
    /// opened at once on a busy node: the kernel dropped the rest, and their clients waited a second to retry
    /// (docs/benchmarks.md, item 39). Reconnect bursts after a node restart are the same shape.
    /// </summary>
    [Range(1, 65_535)]
    public int Backlog { get; set; } = 4096;

    /// <summary>
    /// Send a flushed write on the writing thread, and run request code on the socket's thread, instead of queueing
    /// each to the thread pool (Kestrel's <c>UnsafePreferInlineScheduling</c>). Off by default: on one core it cut the
    /// live path's p99 from 15-24 ms to 3-5 ms at <c>light</c>'s 200 executions, but heavy's saturated throughput fell by
    /// 44%, sends no longer being batched (docs/benchmarks.md, item 34).
    /// </summary>
    public bool InlineScheduling { get; set; }
}
