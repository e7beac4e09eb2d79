using System.Text.Json;
using Orleans.Agent.Executions;

namespace Orleans.Agent.Api.Executions;

/// <summary>The body of <c>POST /api/agent/execute</c>.</summary>
public sealed record ExecuteRequest(string? Task, JsonElement? Context);

/// <summary>The answer to <c>POST /api/agent/execute</c>: where to watch the new execution.</summary>
public sealed record ExecuteResponse(string ExecutionId, string StreamUrl);

/// <summary>The optional body of <c>POST /api/agent/executions/{id}/cancel</c>.</summary>
public sealed record CancelRequest(string? Reason);

/// <summary>The answer to a cancel: whether this request ended the execution, and its status now.</summary>
public sealed record CancelResponse(string ExecutionId, bool Cancelled, ExecutionStatus Status);
