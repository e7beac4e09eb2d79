using System.Text.Json.Serialization;

namespace Orleans.Agent.Events;

/// <summary>The typed <c>data</c> payload of an <see cref="AgentEvent"/>; each subtype is one event type.</summary>
[GenerateSerializer]
public abstract record AgentEventData
{
    /// <summary>The wire name of the event type this payload belongs to (see <see cref="AgentEventTypes"/>).</summary>
    [JsonIgnore]
    public abstract string EventType { get; }
}
