using System.Text.Json;
using Orleans.Agent.Events;
using Orleans.Agent.Serialization;

namespace Orleans.Agent.Api.Streaming;

/// <summary>An event with its wire JSON, serialized once and shared by every connection that sends it.</summary>
public sealed class SerializedEvent(AgentEvent evt, byte[] json)
{
    public AgentEvent Event { get; } = evt;

    public byte[] Json { get; } = json;

    public long Sequence => Event.Sequence;

    public static SerializedEvent From(AgentEvent evt) => new(evt, JsonSerializer.SerializeToUtf8Bytes(evt, AgentJson.Options));
}
