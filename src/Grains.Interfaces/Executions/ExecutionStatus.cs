namespace Orleans.Agent.Executions;

/// <summary>The life cycle of an execution. The last three are terminal.</summary>
[GenerateSerializer]
public enum ExecutionStatus
{
    Pending,
    Running,
    Completed,
    Failed,
    Cancelled,
}
