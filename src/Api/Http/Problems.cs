using Microsoft.AspNetCore.Http.HttpResults;

namespace Orleans.Agent.Api.Http;

/// <summary>The RFC 9457 answers the endpoints give, worded once.</summary>
public static class Problems
{
    public static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "The request is not valid.");

    public static ProblemHttpResult PayloadTooLarge(int limitBytes) =>
        TypedResults.Problem(
            $"The body is larger than the limit of {limitBytes} bytes.",
            statusCode: StatusCodes.Status413PayloadTooLarge,
            title: "Request body too large.");

    public static ProblemHttpResult UnsupportedMediaType() =>
        TypedResults.Problem(
            "Send the body as JSON with Content-Type: application/json.",
            statusCode: StatusCodes.Status415UnsupportedMediaType,
            title: "Unsupported media type.");

    /// <summary>A cancel that came after the execution had already completed or failed.</summary>
    public static ProblemHttpResult AlreadyEnded(string executionId, Orleans.Agent.Executions.ExecutionStatus status) =>
        TypedResults.Problem(
            $"Execution '{executionId}' has already ended ({status.ToString().ToLowerInvariant()}); there is nothing to cancel.",
            statusCode: StatusCodes.Status409Conflict,
            title: "Execution already ended.");

    /// <summary>Also the answer for someone else's execution: its existence is not revealed.</summary>
    public static ProblemHttpResult FileNotFound(string path) =>
        TypedResults.Problem($"The workspace has no file '{path}'.", statusCode: StatusCodes.Status404NotFound, title: "File not found.");

    public static ProblemHttpResult ArtifactNotFound(string sha256) =>
        TypedResults.Problem(
            $"The execution has no artifact '{sha256}' (or it expired with the execution's log).",
            statusCode: StatusCodes.Status404NotFound,
            title: "Artifact not found.");

    public static ProblemHttpResult ExecutionNotFound(string executionId) =>
        TypedResults.Problem(
            $"There is no execution '{executionId}' that you can see.",
            statusCode: StatusCodes.Status404NotFound,
            title: "Execution not found.");
}
