namespace Orleans.Agent.Executions;

/// <summary>What an API node's readiness probe asks a silo. Any silo answers (a stateless worker).</summary>
public interface IHealthProbeGrain : IGrainWithIntegerKey
{
    /// <summary>Answers once a silo is reached; touches nothing else.</summary>
    Task Ping();

    /// <summary>Answers once the silo reaches the durable store; throws <see cref="StoreUnavailableException"/> otherwise.</summary>
    Task CheckStore();
}
