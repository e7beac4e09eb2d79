namespace Orleans.Agent.Executions;

/// <summary>
/// The answer to a cancel request: <paramref name="Cancelled"/> is true when this request ended the execution,
/// false when it had already ended; <paramref name="Status"/> is the status after the request.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CancelResult(
    [property: Id(0)] bool Cancelled,
    [property: Id(1)] ExecutionStatus Status);
