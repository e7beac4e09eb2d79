using System.Collections.Immutable;

namespace Orleans.Agent.LiveText;

/// <summary>
/// Text deltas of one execution as written by one run of its loop. <paramref name="Epoch"/> numbers the runs (the
/// first is 1; each resume after a silo failure is one more): a text from an earlier epoch that never became durable
/// was cut by the failure and is withdrawn; the later run writes its own.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record LiveTextBatch(
    [property: Id(0)] long Epoch,
    [property: Id(1)] ImmutableArray<TextDelta> Deltas);
