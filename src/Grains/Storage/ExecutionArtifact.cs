namespace Orleans.Agent.Grains.Storage;

/// <summary>A value kept whole beside its execution's log (see <see cref="Executions.PayloadPolicy"/>): JSON bytes, named by their SHA-256.</summary>
public sealed record ExecutionArtifact(string Sha256, byte[] Content);
