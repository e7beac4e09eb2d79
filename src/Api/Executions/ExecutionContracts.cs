using System.Text.Json;
using System.Text.Json.Serialization;
using Orleans.Agent.Executions;

namespace Orleans.Agent.Api.Executions;

/// <summary>The body of <c>POST /api/agent/execute</c>. Unknown fields are refused: a typo ("taks") must not pass silently.</summary>
/// <remarks>
/// <c>Task</c> is declared non-null because the contract requires it; a body without it still reads (as null) and
/// the handler answers with a problem that names it.
/// </remarks>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ExecuteRequest(string Task, JsonElement? Context = null);

/// <summary>The answer to <c>POST /api/agent/execute</c>: where to watch the new execution.</summary>
public sealed record ExecuteResponse(string ExecutionId, string StreamUrl);

/// <summary>The optional body of <c>POST /api/agent/executions/{id}/cancel</c>. Unknown fields are refused.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CancelRequest(string? Reason = null);

/// <summary>The answer to a cancel: whether this request ended the execution, and its status now.</summary>
public sealed record CancelResponse(string ExecutionId, bool Cancelled, ExecutionStatus Status);
