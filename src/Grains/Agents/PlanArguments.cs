using System.ComponentModel;

namespace Orleans.Agent.Grains.Agents;

/// <summary>The arguments of the loop's own <c>create_plan</c> tool.</summary>
public sealed record PlanArguments(
    [property: Description("What the whole execution should achieve.")] string Goal,
    [property: Description("The phases in order, 1 to 10.")] IReadOnlyList<PlanArguments.Phase> Phases)
{
    public sealed record Phase(
        [property: Description("Short unique id, e.g. 'research'.")] string Id,
        [property: Description("Human-readable name.")] string Name);
}
