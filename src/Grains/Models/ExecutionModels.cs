using System.Text.Json;

namespace Orleans.Agent.Grains.Models;

/// <summary>Reads the model a request asks for: <c>context.model</c>, a string naming one of the catalog's models.</summary>
public static class ExecutionModels
{
    /// <summary>The requested model name, or null for the default.</summary>
    public static string? Requested(JsonElement? context) =>
        context is { ValueKind: JsonValueKind.Object } ctx && ctx.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.String
            ? model.GetString()
            : null;

    /// <summary>Null when the request's model choice is acceptable, else what is wrong with it.</summary>
    public static string? Validate(JsonElement? context, ModelCatalog models)
    {
        if (context is not { ValueKind: JsonValueKind.Object } ctx || !ctx.TryGetProperty("model", out var model))
        {
            return null;
        }

        return model.ValueKind == JsonValueKind.String && models.Contains(model.GetString()!)
            ? null
            : $"context.model must be one of the configured models: {string.Join(", ", models.Names)}.";
    }
}
