using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Orleans.Agent.Api.Streaming;
using Orleans.Agent.Events;
using Orleans.Agent.Executions;
using Orleans.Agent.LiveText;

namespace Orleans.Agent.Api.OpenApi;

/// <summary>
/// The stream's frames as components, so that clients get types for them like for any response: an <c>…Event</c>
/// envelope per event type (its <c>type</c> is the discriminator of <c>AgentEvent</c>) with its <c>…Data</c> payload,
/// the live <c>TextDelta</c> and <c>TextReset</c>, and <c>StreamReset</c>; <c>StreamFrame</c> is any of them.
/// </summary>
internal sealed class EventSchemas : IOpenApiDocumentTransformer
{
    public const string AgentEvent = "AgentEvent";
    public const string StreamFrame = "StreamFrame";

    public async Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var events = new List<IOpenApiSchema>();
        var mapping = new Dictionary<string, OpenApiSchemaReference>();
        foreach (var (type, payloadType) in AgentEventTypes.PayloadTypes)
        {
            var data = await Component(payloadType.Name, payloadType, document, context, cancellationToken);
            var name = payloadType.Name.Replace("Data", "Event", StringComparison.Ordinal);
            document.AddComponent(name, Envelope(type, data));
            var reference = new OpenApiSchemaReference(name, document);
            events.Add(reference);
            mapping[type] = reference;
        }

        document.AddComponent(AgentEvent, new OpenApiSchema
        {
            Description = "A durable event of an execution: the data: of an SSE frame whose id: is its sequence and whose event: is its type.",
            OneOf = events,
            Discriminator = new OpenApiDiscriminator { PropertyName = "type", Mapping = mapping },
        });

        var delta = await Component(nameof(TextDelta), typeof(TextDelta), document, context, cancellationToken);
        var reset = await Component(nameof(TextReset), typeof(TextReset), document, context, cancellationToken);
        var streamReset = await StreamResetComponent(document, context, cancellationToken);
        document.AddComponent(StreamFrame, new OpenApiSchema
        {
            Description = "The data: of any frame of GET /api/agent/stream/{executionId}, told apart by its event: " +
                "an event type (AgentEvent), text:delta (TextDelta), text:reset (TextReset) or stream:reset (StreamReset).",
            // anyOf: a frame is told apart by its event: line, not its shape (a TextDelta would also pass as a TextReset).
            AnyOf = [new OpenApiSchemaReference(AgentEvent, document), delta, reset, streamReset],
        });
    }

    /// <summary>The stream's 200: <c>text/event-stream</c>, each frame's <c>data:</c> a <see cref="StreamFrame"/>.</summary>
    public static Task DescribeStreamResponse(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        operation.Responses ??= [];
        operation.Responses["200"] = new OpenApiResponse
        {
            Description = "Server-Sent Events until the terminal event; comment lines are heartbeats.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["text/event-stream"] = new() { Schema = new OpenApiSchemaReference(StreamFrame, context.Document) },
            },
        };
        return Task.CompletedTask;
    }

    /// <summary>The schema of <paramref name="type"/> as a component, as the framework writes it for any response type.</summary>
    private static async Task<OpenApiSchemaReference> Component(
        string name, Type type, OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        if (document.Components?.Schemas?.ContainsKey(name) != true)
        {
            document.AddComponent<IOpenApiSchema>(name, await context.GetOrCreateSchemaAsync(type, null, cancellationToken));
        }

        return new OpenApiSchemaReference(name, document);
    }

    /// <summary>
    /// Written out rather than exported: a schema exported here inlines the snapshot and loses its nullable members,
    /// while the snapshot's own component (that of GET /api/agent/executions/{id}) has them right.
    /// </summary>
    private static async Task<OpenApiSchemaReference> StreamResetComponent(
        OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var snapshot = await Component(nameof(ExecutionSnapshot), typeof(ExecutionSnapshot), document, context, cancellationToken);
        document.AddComponent(nameof(StreamReset), new OpenApiSchema
        {
            Description = "The stream:reset frame: the cursor could not be served, so the stream continues after snapshot.lastSequence (also the frame's id:).",
            Type = JsonSchemaType.Object,
            Required = new HashSet<string> { "reason", "requestedCursor", "snapshot" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["reason"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Enum = [.. StreamReset.Reasons.Select(r => (JsonNode)JsonValue.Create(r))],
                    Description = "retention: older than the retained log; ahead: beyond the last event; malformed: not a sequence.",
                },
                ["requestedCursor"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The Last-Event-ID the client sent." },
                ["snapshot"] = snapshot,
            },
        });
        return new OpenApiSchemaReference(nameof(StreamReset), document);
    }

    private static OpenApiSchema Envelope(string type, OpenApiSchemaReference data) => new()
    {
        Type = JsonSchemaType.Object,
        Required = new HashSet<string> { "executionId", "sequence", "type", "timestamp", "data" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["executionId"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["sequence"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Minimum = "1", Description = "1, 2, 3... gapless per execution; also the frame's id:." },
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create(type)] },
            ["timestamp"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time", Description = "When the event was appended to the log, UTC." },
            ["data"] = data,
        },
    };
}
