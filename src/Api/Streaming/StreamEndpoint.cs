using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Orleans.Agent.Api.Auth;
using Orleans.Agent.Api.Executions;
using Orleans.Agent.Api.Http;
using Orleans.Agent.Api.Limits;

namespace Orleans.Agent.Api.Streaming;

/// <summary><c>GET /api/agent/stream/{executionId}</c>: the execution's events as Server-Sent Events.</summary>
public static class StreamEndpoint
{
    public static RouteGroupBuilder MapStreamEndpoint(this RouteGroupBuilder agent)
    {
        agent.MapGet("/stream/{executionId}", Stream).RequireRateLimiting(RateLimitPolicies.OpenStream);
        return agent;
    }

    private static async Task<Results<SseEventStreamResult, ProblemHttpResult>> Stream(
        string executionId, HttpContext http, IClusterClient client, IOptions<SseOptions> options, ILoggerFactory loggers)
    {
        if (!LastEventId.TryRead(http.Request, out var afterSequence, out var problem))
        {
            return problem!;
        }

        // A stream token opens the one execution it names; a bearer token carries no such claim.
        var scopedToOther = http.User.FindAll(StreamTokens.ExecutionClaim).Any(c => c.Value != executionId);
        var feed = ExecutionIds.IsValid(executionId) && !scopedToOther
            ? await ExecutionEventFeed.Open(client, executionId, http.User.GetUserId(), afterSequence, options.Value)
            : null;
        return feed is null
            ? Problems.ExecutionNotFound(executionId)
            : new SseEventStreamResult(feed, options.Value, loggers.CreateLogger(typeof(StreamEndpoint)));
    }
}
