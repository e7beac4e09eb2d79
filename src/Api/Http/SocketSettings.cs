namespace Orleans.Agent.Api.Http;

/// <summary>Configuration section <c>Sockets</c>: how Kestrel schedules its socket work.</summary>
public sealed class SocketSettings
{
    public const string Section = "Sockets";

    /// <summary>
    /// Send a flushed write on the writing thread, and run request code on the socket's thread, instead of queueing
    /// each to the thread pool (Kestrel's <c>UnsafePreferInlineScheduling</c>). Off by default: on one core it cut the
    /// live path's p99 from 15-24 ms to 3-5 ms at <c>light</c>'s 200 executions, but heavy's saturated throughput fell by
    /// 44%, sends no longer being batched (docs/benchmarks.md, item 34).
    /// </summary>
    public bool InlineScheduling { get; set; }
}
