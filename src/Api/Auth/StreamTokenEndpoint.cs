using Microsoft.AspNetCore.Http.HttpResults;
using Orleans.Agent.Api.Executions;
using Orleans.Agent.Api.Http;
using Orleans.Agent.Executions;

namespace Orleans.Agent.Api.Auth;

/// <summary><c>POST /api/agent/executions/{id}/stream-token</c>: a short-lived token that opens this execution's stream only.</summary>
public static class StreamTokenEndpoint
{
    public sealed record StreamTokenResponse(string Token, DateTimeOffset ExpiresAt, string StreamUrl);

    public static RouteGroupBuilder MapStreamTokenEndpoint(this RouteGroupBuilder agent)
    {
        agent.MapPost("/executions/{executionId}/stream-token", Issue)
            .WithName("issueStreamToken").WithTags("Streaming").WithSummary("A short-lived token that opens this execution's stream only (for EventSource).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return agent;
    }

    private static async Task<Results<Ok<StreamTokenResponse>, ProblemHttpResult>> Issue(
        string executionId, HttpContext http, IGrainFactory grains, StreamTokens tokens)
    {
        var userId = http.User.GetUserId();
        var snapshot = ExecutionIds.IsValid(executionId)
            ? await grains.GetGrain<IExecutionGrain>(executionId).GetSnapshot(userId)
            : null;
        if (snapshot is null)
        {
            return Problems.ExecutionNotFound(executionId);
        }

        var (token, expiresAt) = tokens.Issue(userId, executionId);
        var streamUrl = $"{ExecutionEndpoints.StreamUrl(executionId)}?{StreamTokens.QueryParameter}={Uri.EscapeDataString(token)}";
        return TypedResults.Ok(new StreamTokenResponse(token, expiresAt, streamUrl));
    }
}
