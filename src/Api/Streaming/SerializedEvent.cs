using System.Buffers;
using System.Text.Json;
using Orleans.Agent.Events;
using Orleans.Agent.Serialization;

namespace Orleans.Agent.Api.Streaming;

/// <summary>
/// An event with its whole SSE frame (<c>id:</c>, <c>event:</c> and <c>data:</c> lines), built once and shared by every
/// connection that sends it: a connection's write is then one copy, not a frame assembled per connection.
/// </summary>
public sealed class SerializedEvent
{
    private const int KeptBufferBytes = 64 * 1024; // a thread keeps its buffer unless one huge event grew it past this

    [ThreadStatic]
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer)? t_scratch;

    private SerializedEvent(AgentEvent evt, byte[] frame)
    {
        Event = evt;
        Frame = frame;
    }

    public AgentEvent Event { get; }

    /// <summary>The event as the stream carries it, ending with the blank line that dispatches it.</summary>
    public byte[] Frame { get; }

    public long Sequence => Event.Sequence;

    public static SerializedEvent From(AgentEvent evt)
    {
        var (buffer, writer) = t_scratch ??= NewScratch();
        buffer.ResetWrittenCount();
        SseFrames.WriteEventHead(buffer, evt.Sequence, evt.Type);
        writer.Reset(buffer);
        JsonSerializer.Serialize(writer, evt, AgentJson.Options);
        writer.Flush();
        SseFrames.WriteEventEnd(buffer);
        var frame = buffer.WrittenSpan.ToArray();
        if (buffer.Capacity > KeptBufferBytes)
        {
            t_scratch = null;
        }

        return new SerializedEvent(evt, frame);
    }

    // A writer of one's own writes with its own options, not the serializer's: the same encoder keeps the bytes the same.
    private static (ArrayBufferWriter<byte>, Utf8JsonWriter) NewScratch()
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        return (buffer, new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = AgentJson.Options.Encoder, MaxDepth = AgentJson.Options.MaxDepth, SkipValidation = true }));
    }
}
