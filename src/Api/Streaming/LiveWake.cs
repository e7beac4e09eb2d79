namespace Orleans.Agent.Api.Streaming;

/// <summary>Why the node's sweep woke a waiting connection (see <see cref="LiveBuffer.Wake"/>).</summary>
[Flags]
public enum LiveWake
{
    None = 0,

    /// <summary>The log's end is past what the connection delivered: a live event (or the subscription) was lost; read the log.</summary>
    CatchUp = 1,

    /// <summary>Nothing was written for <see cref="SseOptions.HeartbeatInterval"/>: send a <c>: ping</c>.</summary>
    Heartbeat = 2,

    /// <summary>
    /// Read the log for what the live path did not bring: it was restored after a failover, or this node fell so far
    /// behind that the connection's live events were dropped.
    /// </summary>
    Reread = 4,

    /// <summary>A text being written grew, or was withdrawn (<see cref="LiveTexts"/>): send what this connection has not.</summary>
    Text = 8,
}
