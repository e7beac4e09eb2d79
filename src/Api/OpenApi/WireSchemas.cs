using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Orleans.Agent.Events;

namespace Orleans.Agent.Api.OpenApi;

/// <summary>
/// Schemas as the API writes values, not as it would also read them: numbers are JSON numbers (the web defaults
/// would add "or a numeric string"), and timestamps are UTC date-time strings (our converter hides that from the
/// schema exporter), a property written only when it has a value (<c>JsonIgnoreCondition.WhenWritingNull</c>)
/// is optional, and one the contract always writes is required.
/// </summary>
internal sealed class WireSchemas : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (schema.Type is { } type && type.HasFlag(JsonSchemaType.String)
            && (type.HasFlag(JsonSchemaType.Integer) || type.HasFlag(JsonSchemaType.Number)))
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }

        var clrType = context.JsonTypeInfo.Type;
        if (clrType == typeof(DateTimeOffset) || clrType == typeof(DateTimeOffset?))
        {
            schema.Type = clrType == typeof(DateTimeOffset) ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
            schema.Format = "date-time";
        }

        if (context.JsonTypeInfo.Kind == JsonTypeInfoKind.Object && context.JsonTypeInfo.Properties.Count > 0)
        {
            // What the contract types (events, snapshots, lists: written, never read from a client) always write is
            // required, null or not; whatever they write only when set is optional.
            var required = schema.Required ??= new HashSet<string>();
            foreach (var property in context.JsonTypeInfo.Properties)
            {
                if (property.ShouldSerialize is not null)
                {
                    required.Remove(property.Name);
                }
                else if (clrType.Assembly == typeof(AgentEvent).Assembly)
                {
                    required.Add(property.Name);
                }
            }
        }

        return Task.CompletedTask;
    }
}
