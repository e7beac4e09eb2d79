using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Orleans.Agent.Api.Auth;
using Orleans.Agent.Api.Executions;
using Orleans.Agent.Api.Http;
using Orleans.Agent.Api.Limits;
using Orleans.Agent.Api.Observability;
using Orleans.Agent.Api.OpenApi;
using Orleans.Agent.Events;
using Orleans.Agent.Executions;
using Orleans.Agent.LiveText;

namespace Orleans.Agent.Api.Streaming;

/// <summary><c>GET /api/agent/stream/{executionId}</c>: the execution's events as Server-Sent Events.</summary>
public static class StreamEndpoint
{
    public static RouteGroupBuilder MapStreamEndpoint(this RouteGroupBuilder agent)
    {
        agent.MapGet("/stream/{executionId}", Stream)
            .WithName("streamExecution").WithTags("Streaming")
            .WithSummary("The execution's events as Server-Sent Events, from after the cursor to its terminal event.")
            .WithDescription("Each frame's data: is a StreamFrame: an AgentEvent (id: its sequence, event: its type), " +
                "and with deltas a TextDelta or TextReset (no id:), or a StreamReset when the cursor cannot be served. " +
                "204 when the cursor is already the terminal event: a client stops there. docs/events.md has the rules.")
            .WithHeaderParameter(LastEventId.Header, "The last sequence the client has; the stream resumes after it.")
            .WithQueryParameter(LastEventId.QueryParameter, "As Last-Event-ID, for a first connection that has a cursor (the header wins).", JsonSchemaType.Integer, minimum: "0")
            .WithQueryParameter("types", "Only these event types, comma-separated (the terminal ones are not implied).", JsonSchemaType.String)
            .WithQueryParameter("deltas", "Also the texts being written, as text:delta and text:reset frames.", JsonSchemaType.Boolean, @default: false)
            .AddOpenApiOperationTransformer(EventSchemas.DescribeStreamResponse)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return agent;
    }

    /// <summary>What the stream endpoint works with, bound from the container.</summary>
    public sealed record StreamServices(
        IClusterClient Client, ExecutionStreamHub Hub, StreamAdmission Admission, IStoreFaultDetector StoreFaults,
        IOptions<SseOptions> Options, IOptions<ApiLimitsOptions> Limits, StreamMetrics Metrics, LimitMetrics Rejections, ILoggerFactory Loggers);

    private static async Task<Results<SseEventStreamResult, NoContent, ProblemHttpResult>> Stream(
        string executionId, HttpContext http, [AsParameters] StreamServices services)
    {
        // Streams held per user and per process; the ticket is given back when the response ends.
        if (services.Admission.TryAdmit(http.User.GetUserId(), out var refusedBy) is not { } ticket)
        {
            services.Rejections.Rejected(refusedBy!);
            RateLimitPolicies.SetRetryAfter(http.Response, services.Limits.Value.StreamRetryAfter);
            return TypedResults.Problem(RateLimitPolicies.TooManyRequestsDetail, statusCode: StatusCodes.Status429TooManyRequests, title: RateLimitPolicies.TooManyRequestsTitle);
        }

        var streaming = false;
        try
        {
            var result = await Open(executionId, http, services, ticket);
            streaming = result.Result is SseEventStreamResult; // the response gives the ticket back when it ends
            return result;
        }
        catch (Exception ex) when (ex is OrleansException or TimeoutException && !services.StoreFaults.IsStoreFault(ex))
        {
            // A silo is failing over: the execution is reachable again in a moment. (A store fault is answered as one.)
            http.Response.Headers.RetryAfter = "1";
            return TypedResults.Problem(
                "The execution is moving to another silo; retry shortly with the same Last-Event-ID.",
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Execution temporarily unavailable.");
        }
        finally
        {
            if (!streaming)
            {
                ticket.Dispose();
            }
        }
    }

    private static async Task<Results<SseEventStreamResult, NoContent, ProblemHttpResult>> Open(
        string executionId, HttpContext http, StreamServices services, IDisposable ticket)
    {
        if (!LastEventId.TryRead(http.Request, out var afterSequence, out var malformedCursor, out var problem))
        {
            return problem!;
        }

        if (!TryReadTypes(http.Request, out var types, out var textsInTypes, out problem)
            || !TryReadDeltas(http.Request, textsInTypes, out var texts, out problem))
        {
            return problem!;
        }

        if (afterSequence > 0 || malformedCursor is not null)
        {
            services.Metrics.Resumed();
        }

        var feed = ExecutionIds.IsValid(executionId) && !http.User.IsScopedToOther(executionId)
            ? await ExecutionEventFeed.Open(
                services.Client.GetGrain<IExecutionGrain>(executionId), services.Hub, executionId, http.User.GetUserId(), afterSequence, malformedCursor, services.Options.Value, texts)
            : null;
        if (feed is null)
        {
            return Problems.ExecutionNotFound(executionId);
        }

        if (feed.NothingToSend)
        {
            // The cursor is the terminal event: 204 is how the EventSource standard tells a client to stop reconnecting.
            await feed.DisposeAsync();
            return TypedResults.NoContent();
        }

        return new SseEventStreamResult(feed, ticket, types, services.Options.Value, services.Metrics, services.Loggers.CreateLogger(typeof(StreamEndpoint)));
    }

    /// <summary>
    /// <c>?types=thinking,tool:complete</c>: only these event types; an unknown one is a 400 problem. Naming
    /// <c>text:delta</c> (or <c>text:reset</c>) asks for the texts being written, as <c>?deltas=true</c> does.
    /// </summary>
    private static bool TryReadTypes(HttpRequest request, out IReadOnlySet<string>? types, out bool texts, out ProblemHttpResult? problem)
    {
        types = null;
        texts = false;
        problem = null;
        if (!request.Query.TryGetValue("types", out var values))
        {
            return true;
        }

        var requested = values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToHashSet(StringComparer.Ordinal);
        texts = requested.Remove(TextDelta.EventType) | requested.Remove(TextReset.EventType);
        var unknown = requested.Where(t => !AgentEventTypes.PayloadTypes.ContainsKey(t)).ToArray();
        if ((requested.Count == 0 && !texts) || unknown.Length > 0)
        {
            problem = Problems.BadRequest(
                $"types must list event types from: {string.Join(", ", [.. AgentEventTypes.PayloadTypes.Keys, TextDelta.EventType, TextReset.EventType])}" +
                (unknown.Length > 0 ? $"; unknown: {string.Join(", ", unknown.Take(5))}." : "."));
            return false;
        }

        types = requested;
        return true;
    }

    /// <summary><c>?deltas=true</c>: the texts being written too, as <c>text:delta</c> events (docs/events.md).</summary>
    private static bool TryReadDeltas(HttpRequest request, bool textsInTypes, out bool texts, out ProblemHttpResult? problem)
    {
        texts = textsInTypes;
        problem = null;
        if (!request.Query.TryGetValue("deltas", out var values))
        {
            return true;
        }

        if (values.Count != 1 || !bool.TryParse(values[0], out var deltas))
        {
            problem = Problems.BadRequest("deltas must be true or false.");
            return false;
        }

        if (!deltas && textsInTypes)
        {
            problem = Problems.BadRequest("deltas=false contradicts types, which names text:delta or text:reset.");
            return false;
        }

        texts = deltas;
        return true;
    }
}
