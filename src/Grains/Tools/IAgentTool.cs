using System.Text.Json;

namespace Orleans.Agent.Grains.Tools;

/// <summary>
/// A tool the model may call. Register more with <see cref="ToolServiceCollectionExtensions.AddAgentTool{TTool}"/>;
/// derive from <see cref="AgentTool{TArguments}"/> to get the JSON schema from a parameter type.
/// </summary>
public interface IAgentTool
{
    /// <summary>The name the model calls it by: unique, <c>[a-zA-Z0-9_-]{1,64}</c>.</summary>
    string Name { get; }

    /// <summary>What it does, for the model.</summary>
    string Description { get; }

    /// <summary>The JSON schema of its arguments object.</summary>
    JsonElement ParametersSchema { get; }

    /// <summary>Its own time limit; null means <c>Model:ToolTimeout</c>.</summary>
    TimeSpan? Timeout { get; }

    /// <summary>
    /// Runs the tool. Throw <see cref="ToolException"/> (or any exception) for an error the model should see;
    /// honour <paramref name="cancellationToken"/>: it fires on cancel and on timeout.
    /// </summary>
    Task<JsonElement> Invoke(JsonElement arguments, ToolContext context, CancellationToken cancellationToken);
}
