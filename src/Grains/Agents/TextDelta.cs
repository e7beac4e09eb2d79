namespace Orleans.Agent.Grains.Agents;

/// <summary>
/// A piece of a text being written: <paramref name="Text"/> goes at <paramref name="Offset"/> (UTF-16 code units, as a
/// JavaScript string counts) of the text numbered <paramref name="Thought"/> (0, 1, 2... in the order the coalescer
/// completes them). The deltas of a text, in order, spell exactly the text its durable event will hold.
/// </summary>
public readonly record struct TextDelta(int Thought, int Offset, string Text);
