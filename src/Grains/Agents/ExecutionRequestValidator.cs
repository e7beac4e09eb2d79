using System.Text.Json;
using Microsoft.Extensions.Options;
using Orleans.Agent.Executions;
using Orleans.Agent.Grains.Models;

namespace Orleans.Agent.Grains.Agents;

/// <summary>Checks <c>context.workload</c> and <c>context.model</c> against the options the silos run with.</summary>
public sealed class ExecutionRequestValidator(IOptions<ModelOptions> options, ModelCatalog catalog) : IExecutionRequestValidator
{
    public string? Problem(JsonElement? context)
    {
        var models = options.Value;
        if (!SyntheticWorkload.TryRead(context, out var workload, out var workloadError))
        {
            return workloadError;
        }

        if (workload is not null && !models.SyntheticWorkloads)
        {
            return "context.workload is a load-test run, which this server does not accept (Model:SyntheticWorkloads=false).";
        }

        return ExecutionModels.Validate(context, catalog);
    }
}
