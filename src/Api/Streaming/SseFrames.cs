using System.Buffers;
using System.Buffers.Text;
using System.IO.Pipelines;
using System.Text;

namespace Orleans.Agent.Api.Streaming;

/// <summary>
/// The frames of the stream, as the HTML standard's server-sent events define them (docs/events.md): written by hand
/// rather than with <c>TypedResults.ServerSentEvents</c> because heartbeats are comment lines and an end can be an
/// id alone, which <c>SseItem</c> cannot express.
/// </summary>
public static class SseFrames
{
    /// <summary><c>retry:</c>, how long a browser waits before it reconnects.</summary>
    public static void WriteRetry(PipeWriter output, TimeSpan delay)
    {
        output.Write("retry: "u8);
        WriteNumber(output, (long)delay.TotalMilliseconds);
        output.Write("\n\n"u8);
    }

    /// <summary>One event whose frame was built once for every connection.</summary>
    public static void WriteEvent(IBufferWriter<byte> output, SerializedEvent evt) => output.Write(evt.Frame);

    /// <summary>One event; <paramref name="json"/> is single-line (the serializer escapes control characters).</summary>
    public static void WriteEvent(IBufferWriter<byte> output, long id, string type, byte[] json)
    {
        WriteEventHead(output, id, type);
        output.Write(json);
        WriteEventEnd(output);
    }

    /// <summary>An event's lines before its JSON (see <see cref="SerializedEvent"/>, which builds each frame once).</summary>
    public static void WriteEventHead(IBufferWriter<byte> output, long id, string type)
    {
        output.Write("id: "u8);
        WriteNumber(output, id);
        output.Write("\nevent: "u8);
        Encoding.UTF8.GetBytes(type, output);
        output.Write("\ndata: "u8);
    }

    /// <summary>The end of an event's data line and the blank line that dispatches it.</summary>
    public static void WriteEventEnd(IBufferWriter<byte> output) => output.Write("\n\n"u8);

    /// <summary>An event without an id (live text): it leaves the client's Last-Event-ID where it was.</summary>
    public static void WriteEvent(PipeWriter output, string type, byte[] json)
    {
        output.Write("event: "u8);
        Encoding.UTF8.GetBytes(type, output);
        output.Write("\ndata: "u8);
        output.Write(json);
        output.Write("\n\n"u8);
    }

    /// <summary>An id alone: it moves the client's Last-Event-ID and dispatches no event.</summary>
    public static void WriteId(PipeWriter output, long id)
    {
        output.Write("id: "u8);
        WriteNumber(output, id);
        output.Write("\n\n"u8);
    }

    /// <summary>A heartbeat: a comment, which clients ignore and proxies see as traffic.</summary>
    public static void WritePing(PipeWriter output) => output.Write(": ping\n\n"u8);

    private static void WriteNumber(IBufferWriter<byte> output, long value)
    {
        var span = output.GetSpan(20);
        Utf8Formatter.TryFormat(value, span, out var written);
        output.Advance(written);
    }
}
