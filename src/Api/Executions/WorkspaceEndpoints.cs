using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.OpenApi;
using Orleans.Agent.Api.Auth;
using Orleans.Agent.Api.Http;
using Orleans.Agent.Api.OpenApi;
using Orleans.Agent.Executions;

namespace Orleans.Agent.Api.Executions;

/// <summary>The files an execution's tools wrote, for its owner. Read through the grain, which owns the workspace.</summary>
public static class WorkspaceEndpoints
{
    private const string Tag = "Files";

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public sealed record FileList(string ExecutionId, IReadOnlyList<WorkspaceFile> Files);

    /// <summary>The list, for the owner's bearer token.</summary>
    public static RouteGroupBuilder MapWorkspaceEndpoints(this RouteGroupBuilder agent)
    {
        agent.MapGet("/executions/{executionId}/files", List)
            .WithName("listFiles").WithTags(Tag).WithSummary("The files the execution's tools wrote.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return agent;
    }

    /// <summary>One file, also for a stream token of its execution: a browser opens it by URL (a link, a download, a preview frame).</summary>
    public static RouteGroupBuilder MapWorkspaceFileEndpoint(this RouteGroupBuilder agent)
    {
        agent.MapGet("/executions/{executionId}/files/{**path}", Read)
            .WithName("readFile").WithTags(Tag)
            .WithSummary("One file the execution wrote, with the content type of its extension; ?download=true to save it.")
            .WithQueryParameter("download", "Content-Disposition: attachment, so that a browser saves it.", JsonSchemaType.Boolean, @default: false)
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return agent;
    }

    private static async Task<Results<Ok<FileList>, ProblemHttpResult>> List(string executionId, HttpContext http, IGrainFactory grains)
    {
        var files = ExecutionIds.IsValid(executionId)
            ? await grains.GetGrain<IExecutionGrain>(executionId).ListFiles(http.User.GetUserId())
            : null;
        return files is null ? Problems.ExecutionNotFound(executionId) : TypedResults.Ok(new FileList(executionId, files));
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Read(
        string executionId, string path, HttpContext http, IGrainFactory grains)
    {
        var read = ExecutionIds.IsValid(executionId) && !http.User.IsScopedToOther(executionId)
            ? await grains.GetGrain<IExecutionGrain>(executionId).ReadFile(http.User.GetUserId(), path)
            : null;
        if (read is { Content: not null })
        {
            UntrustedContent.Protect(http.Response);
        }

        return read switch
        {
            null => Problems.ExecutionNotFound(executionId),
            { Error: { } error } => Problems.BadRequest(error),
            { Content: null } => Problems.FileNotFound(path),
            { Content: var content } => TypedResults.File(
                content,
                ContentTypes.TryGetContentType(path, out var type) ? type : "application/octet-stream",
                fileDownloadName: http.Request.Query["download"] == "true" ? Path.GetFileName(path) : null),
        };
    }
}
