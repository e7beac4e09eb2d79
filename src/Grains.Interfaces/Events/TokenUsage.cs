namespace Orleans.Agent.Events;

/// <summary>Model tokens consumed: prompt (<paramref name="Input"/>) and completion (<paramref name="Output"/>).</summary>
[GenerateSerializer, Immutable]
public sealed record TokenUsage(
    [property: Id(0)] long Input,
    [property: Id(1)] long Output)
{
    /// <summary>No tokens.</summary>
    public static TokenUsage None { get; } = new(0, 0);

    /// <summary><c>input + output</c>, written on the wire for convenience.</summary>
    public long Total => Input + Output;

    /// <summary>The sum of two usages.</summary>
    public TokenUsage Add(TokenUsage other) => new(Input + other.Input, Output + other.Output);
}
