namespace Orleans.Agent.Grains.Executions;

/// <summary>Names of the grain storage providers the execution grains use.</summary>
public static class ExecutionStorage
{
    /// <summary>Holds each execution's <see cref="ExecutionState"/>.</summary>
    public const string Name = "executions";

    /// <summary>Orleans' own stream subscription store, required by persistent-stream providers.</summary>
    public const string PubSub = "PubSubStore";
}
