using System.IO.Pipelines;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using Orleans.Agent.Api.Streaming;
using Orleans.Agent.Events;
using Orleans.Agent.Serialization;

namespace Orleans.Agent.Tests;

/// <summary>The SSE writer's frames, read back by the framework's SSE parser (as a browser's would): no Kestrel.</summary>
public sealed class SseFramesTests
{
    [Fact]
    public async Task Frames_read_back_as_the_standard_says_ids_alone_and_comments_dispatch_nothing()
    {
        var pipe = new Pipe();
        SseFrames.WriteRetry(pipe.Writer, TimeSpan.FromSeconds(1.5));
        SseFrames.WriteEvent(pipe.Writer, 41, "thinking", Encoding.UTF8.GetBytes("{\"a\":1}"));
        SseFrames.WritePing(pipe.Writer);
        SseFrames.WriteEvent(pipe.Writer, 42, "tool:start", Encoding.UTF8.GetBytes("{\"b\":\"\\n\"}"));
        SseFrames.WriteId(pipe.Writer, 99);
        await pipe.Writer.CompleteAsync();

        var parser = SseParser.Create(pipe.Reader.AsStream());
        var items = new List<SseItem<string>>();
        await foreach (var item in parser.EnumerateAsync())
        {
            items.Add(item);
        }

        Assert.Equal([("41", "thinking", "{\"a\":1}"), ("42", "tool:start", "{\"b\":\"\\n\"}")], items.Select(i => (i.EventId, i.EventType, i.Data)));
        Assert.Equal(TimeSpan.FromMilliseconds(1500), parser.ReconnectionInterval);
        Assert.Equal("99", parser.LastEventId); // the id alone moved the cursor to the end without an event
    }

    [Fact]
    public void A_frame_is_exactly_the_documented_bytes()
    {
        var pipe = new Pipe();

        SseFrames.WriteEvent(pipe.Writer, 1, "execution:started", "{}"u8.ToArray());
        SseFrames.WritePing(pipe.Writer);
        SseFrames.WriteId(pipe.Writer, 2);
        pipe.Writer.Complete();

        Assert.True(pipe.Reader.TryRead(out var result));
        Assert.Equal("id: 1\nevent: execution:started\ndata: {}\n\n: ping\n\nid: 2\n\n", Encoding.UTF8.GetString(result.Buffer));
    }

    [Fact]
    public void An_events_shared_frame_is_its_wire_json_framed_as_one_event()
    {
        var evt = new AgentEvent("e", 7, AgentEventTypes.Thinking, DateTimeOffset.UnixEpoch, new ThinkingData("Quotes \" and ünïcode stay; a\nnewline does not", 1));

        var frame = Encoding.UTF8.GetString(SerializedEvent.From(evt).Frame);

        var json = Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(evt, AgentJson.Options));
        Assert.Equal($"id: 7\nevent: thinking\ndata: {json}\n\n", frame);
        Assert.Contains("ünïcode", json);
        Assert.DoesNotContain('\n', json);
    }
}
