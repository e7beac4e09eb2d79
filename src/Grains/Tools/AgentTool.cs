using System.Text.Json;
using Microsoft.Extensions.AI;
using Orleans.Agent.Serialization;

namespace Orleans.Agent.Grains.Tools;

/// <summary>A tool whose arguments are a <typeparamref name="TArguments"/>: the schema is generated from that type.</summary>
public abstract class AgentTool<TArguments> : IAgentTool where TArguments : class
{
    private static readonly JsonElement Schema = AIJsonUtilities.CreateJsonSchema(typeof(TArguments), serializerOptions: AgentJson.Options);

    public abstract string Name { get; }

    public abstract string Description { get; }

    public JsonElement ParametersSchema => Schema;

    public virtual TimeSpan? Timeout => null;

    public Task<JsonElement> Invoke(JsonElement arguments, ToolContext context, CancellationToken cancellationToken)
    {
        TArguments? parsed;
        try
        {
            parsed = arguments.Deserialize<TArguments>(AgentJson.Options);
        }
        catch (JsonException ex)
        {
            throw new ToolException($"Invalid arguments for {Name}: {ex.Message}");
        }

        return Invoke(parsed ?? throw new ToolException($"{Name} needs an arguments object."), context, cancellationToken);
    }

    protected abstract Task<JsonElement> Invoke(TArguments arguments, ToolContext context, CancellationToken cancellationToken);

    protected static JsonElement Json<T>(T value) => JsonSerializer.SerializeToElement(value, AgentJson.Options);
}
