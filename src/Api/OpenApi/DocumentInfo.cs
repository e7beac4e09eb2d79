using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Orleans.Agent.Api.OpenApi;

/// <summary>The document's title and the one paragraph a reader needs before the routes.</summary>
internal sealed class DocumentInfo : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Orleans.Agent API",
            Version = "v1",
            Description =
                "Start AI-agent executions and follow them live. POST /api/agent/execute answers with an execution id; " +
                "GET /api/agent/stream/{executionId} streams its events as Server-Sent Events, numbered 1, 2, 3..., " +
                "resumable with Last-Event-ID. Every error is an RFC 9457 problem. The event payloads are the " +
                "components named *Event (the data: of each frame); docs/events.md describes them in prose.",
        };
        document.Servers = [];
        return Task.CompletedTask;
    }
}
