using System.Text.Json;

namespace Orleans.Agent.Executions;

/// <summary>
/// What the silos accept in a request's <c>context</c> (the model it names, a load-test workload), checked by an API
/// node before it starts an execution, so that a bad request is a 400 that says why rather than a failed run.
/// </summary>
public interface IExecutionRequestValidator
{
    /// <summary>Null when <paramref name="context"/> is acceptable, else what is wrong with it, for the caller.</summary>
    string? Problem(JsonElement? context);
}
