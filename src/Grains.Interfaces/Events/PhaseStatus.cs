namespace Orleans.Agent.Events;

/// <summary>Where a phase stands; written camelCase on the wire ("pending", "running", ...).</summary>
[GenerateSerializer]
public enum PhaseStatus
{
    Pending,
    Running,
    Completed,
}
