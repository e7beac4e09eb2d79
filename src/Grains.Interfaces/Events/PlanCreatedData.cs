namespace Orleans.Agent.Events;

/// <summary><c>plan:created</c>: the model's plan, every phase still pending.</summary>
[GenerateSerializer, Immutable]
public sealed record PlanCreatedData([property: Id(0)] ExecutionPlan Plan) : AgentEventData
{
    public override string EventType => AgentEventTypes.PlanCreated;
}
