using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Orleans.Agent.Api.Auth;
using Orleans.Agent.Api.Http;
using Orleans.Agent.Api.Limits;
using Orleans.Agent.Api.Observability;
using Orleans.Agent.Api.OpenApi;
using Orleans.Agent.Executions;
using Orleans.Agent.Grains.Observability;

namespace Orleans.Agent.Api.Executions;

/// <summary>Start, inspect and cancel executions. Every call names the caller so the grain answers only its owner.</summary>
public static class ExecutionEndpoints
{
    /// <summary>Longest cancel reason kept; a reason is a note for people, not a payload.</summary>
    private const int MaxReasonLength = 500;

    /// <summary>The OpenAPI tag of these operations.</summary>
    public const string Tag = "Executions";

    public static RouteGroupBuilder MapExecutionEndpoints(this RouteGroupBuilder agent)
    {
        agent.MapPost("/execute", Execute).RequireRateLimiting(RateLimitPolicies.StartExecution)
            .WithName("startExecution").WithTags(Tag).WithSummary("Start an execution of a task; follow it at streamUrl.")
            .AcceptsJson<ExecuteRequest>()
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        agent.MapGet("/executions", List)
            .WithName("listExecutions").WithTags(Tag).WithSummary("The caller's executions, newest first, a page at a time.")
            .WithQueryParameter("limit", "How many (1 to 100).", JsonSchemaType.Integer, @default: 20, minimum: "1", maximum: "100")
            .WithQueryParameter("cursor", "The nextCursor of the previous page.", JsonSchemaType.String)
            .ProducesProblem(StatusCodes.Status400BadRequest);
        agent.MapGet("/executions/{executionId}", GetSnapshot)
            .WithName("getExecution").WithTags(Tag).WithSummary("The execution's state now (folded from its log).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        agent.MapPost("/executions/{executionId}/cancel", Cancel)
            .WithName("cancelExecution").WithTags(Tag).WithSummary("Cancel a running execution (the body and its reason are optional).")
            .AcceptsJson<CancelRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return agent;
    }

    public static string StreamUrl(string executionId) => $"/api/agent/stream/{executionId}";

    private static async Task<Results<Accepted<ExecuteResponse>, ProblemHttpResult>> Execute(
        HttpContext http,
        IGrainFactory grains,
        JsonBody json,
        IExecutionRequestValidator validator,
        IOptions<ApiLimitsOptions> limits,
        LimitMetrics rejections,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await json.Read<ExecuteRequest>(http.Request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (string.IsNullOrWhiteSpace(body!.Task))
        {
            return Problems.BadRequest("task is required and must not be blank.");
        }

        if (body.Task.Length > limits.Value.MaxTaskChars)
        {
            rejections.Rejected(nameof(ApiLimitsOptions.MaxTaskChars));
            return Problems.BadRequest($"task is {body.Task.Length} characters long; the limit is {limits.Value.MaxTaskChars}.");
        }

        if (body.Context is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null) })
        {
            return Problems.BadRequest("context must be a JSON object.");
        }

        if (body.Context is { } ctx && System.Text.Encoding.UTF8.GetByteCount(ctx.GetRawText()) > limits.Value.MaxContextBytes)
        {
            rejections.Rejected(nameof(ApiLimitsOptions.MaxContextBytes));
            return Problems.BadRequest($"context is larger than the limit of {limits.Value.MaxContextBytes} bytes.");
        }

        if (validator.Problem(body.Context) is { } contextError)
        {
            return Problems.BadRequest(contextError);
        }

        var executionId = ExecutionIds.New();
        var context = body.Context is { ValueKind: JsonValueKind.Object } objectContext ? objectContext : (JsonElement?)null;
        // The execution's trace begins here (or in the caller's trace); the grain's runs continue it from its request.
        using var span = AgentTelemetry.StartRequest(http.Request.Method, "/api/agent/execute", http.Request.Headers.TraceParent, http.Request.Headers.TraceState);
        span?.SetTag("orleans_agent.execution.id", executionId);
        await grains.GetGrain<IExecutionGrain>(executionId).Start(http.User.GetUserId(), new ExecutionRequest(body.Task, context, span?.Id));
        span?.SetTag("http.response.status_code", StatusCodes.Status202Accepted);
        return TypedResults.Accepted($"/api/agent/executions/{executionId}", new ExecuteResponse(executionId, StreamUrl(executionId)));
    }

    /// <summary>The caller's executions, newest first: <c>?limit=</c> 1-100 (20), <c>?cursor=</c> the previous page's nextCursor.</summary>
    private static async Task<Results<Ok<ExecutionList>, ProblemHttpResult>> List(HttpContext http, IGrainFactory grains)
    {
        var query = http.Request.Query;
        var limit = 20;
        if (query.TryGetValue("limit", out var limitText)
            && (!int.TryParse(limitText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 100))
        {
            return Problems.BadRequest("limit must be an integer from 1 to 100.");
        }

        string? cursor = query["cursor"];
        if (cursor is not null && !ExecutionIds.IsValid(cursor))
        {
            return Problems.BadRequest("cursor must be the nextCursor of a previous page.");
        }

        return TypedResults.Ok(await grains.GetGrain<IUserExecutionsGrain>(http.User.GetUserId()).List(cursor, limit));
    }

    private static async Task<Results<Ok<ExecutionSnapshot>, ProblemHttpResult>> GetSnapshot(
        string executionId, HttpContext http, IGrainFactory grains)
    {
        var snapshot = ExecutionIds.IsValid(executionId)
            ? await grains.GetGrain<IExecutionGrain>(executionId).GetSnapshot(http.User.GetUserId())
            : null;
        return snapshot is null ? Problems.ExecutionNotFound(executionId) : TypedResults.Ok(snapshot);
    }

    private static async Task<Results<Accepted<CancelResponse>, ProblemHttpResult>> Cancel(
        string executionId, HttpContext http, IGrainFactory grains, JsonBody json, CancellationToken cancellationToken)
    {
        if (!ExecutionIds.IsValid(executionId))
        {
            return Problems.ExecutionNotFound(executionId);
        }

        var (body, problem) = await json.Read<CancelRequest>(http.Request, cancellationToken, optional: true);
        if (problem is not null)
        {
            return problem;
        }

        if (body?.Reason is { Length: > MaxReasonLength })
        {
            return Problems.BadRequest($"reason must be at most {MaxReasonLength} characters.");
        }

        var result = await grains.GetGrain<IExecutionGrain>(executionId).Cancel(http.User.GetUserId(), body?.Reason);
        return result switch
        {
            null => Problems.ExecutionNotFound(executionId),
            { Status: ExecutionStatus.Completed or ExecutionStatus.Failed } => Problems.AlreadyEnded(executionId, result.Status),
            _ => TypedResults.Accepted($"/api/agent/executions/{executionId}", new CancelResponse(executionId, result.Cancelled, result.Status)),
        };
    }
}
