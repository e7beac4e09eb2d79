namespace Orleans.Agent.Executions;

/// <summary>Names shared by the publisher (the grain) and the subscribers (API nodes) of execution streams.</summary>
public static class AgentStreams
{
    /// <summary>The stream provider registered on silos and clients.</summary>
    public const string ProviderName = "AgentStreams";

    /// <summary>The stream namespace; the stream key is the execution id.</summary>
    public const string Namespace = "agent";
}
