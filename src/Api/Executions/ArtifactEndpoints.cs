using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Orleans.Agent.Api.Auth;
using Orleans.Agent.Api.Http;
using Orleans.Agent.Executions;

namespace Orleans.Agent.Api.Executions;

/// <summary>
/// <c>GET /api/agent/executions/{id}/artifacts/{sha256}</c>: a value too large for its event (its <c>paramsRef</c> or
/// <c>resultRef</c>), exactly as the tool took or gave it, for the execution's owner.
/// </summary>
public static partial class ArtifactEndpoints
{
    public static RouteGroupBuilder MapArtifactEndpoints(this RouteGroupBuilder agent)
    {
        agent.MapGet("/executions/{executionId}/artifacts/{sha256}", Read)
            .WithName("readArtifact").WithTags("Files").WithSummary("A value too large for its event (paramsRef.url or resultRef.url), whole.")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return agent;
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Read(
        string executionId, string sha256, HttpContext http, IGrainFactory grains)
    {
        if (!Sha256Hex().IsMatch(sha256))
        {
            return Problems.BadRequest("An artifact is named by its SHA-256: 64 lowercase hex digits.");
        }

        var read = ExecutionIds.IsValid(executionId)
            ? await grains.GetGrain<IExecutionGrain>(executionId).ReadArtifact(http.User.GetUserId(), sha256)
            : null;
        if (read?.Content is not { } content)
        {
            return read is null ? Problems.ExecutionNotFound(executionId) : Problems.ArtifactNotFound(sha256);
        }

        // Named by its content: it never changes, so a browser may keep it (for this user only).
        UntrustedContent.Protect(http.Response); // JSON, but a tool's bytes: never sniffed, never a page
        http.Response.Headers.CacheControl = "private, max-age=31536000, immutable";
        return TypedResults.File(content, "application/json", entityTag: new EntityTagHeaderValue($"\"{sha256}\""));
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Hex();
}
