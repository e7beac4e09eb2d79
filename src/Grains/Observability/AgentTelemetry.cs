using System.Diagnostics;

namespace Orleans.Agent.Grains.Observability;

/// <summary>
/// The names the product's meter and traces go by, on silos and API nodes alike, and the spans of an execution's trace:
/// the request that starts it, its run (<c>invoke_agent</c>, again after each failover) and its tool calls
/// (<c>execute_tool</c>); model calls add <c>chat</c> spans through Microsoft.Extensions.AI.
/// </summary>
public static class AgentTelemetry
{
    /// <summary>The product's meter and activity source; model calls (gen_ai spans and metrics) are recorded under it too.</summary>
    public const string Name = "Orleans.Agent";

    /// <summary>gen_ai.agent.name of the run's span.</summary>
    public const string AgentName = "orleans-agent";

    public static readonly ActivitySource Source = new(Name);

    /// <summary>
    /// The server span of a request that starts an execution, continuing the caller's <c>traceparent</c> when valid; null
    /// when nothing records traces. ASP.NET Core's own request spans stay off: they would keep an Activity per stream.
    /// </summary>
    public static Activity? StartRequest(string method, string route, string? traceParent, string? traceState)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var parent);
        return Source.StartActivity(ActivityKind.Server, parent, name: $"{method} {route}", tags:
        [
            new("http.request.method", method),
            new("http.route", route),
        ]);
    }

    /// <summary>The span of an execution's run on this activation, a child of the request that started it.</summary>
    public static Activity? StartRun(string? traceParent, string executionId, long resumedAfter)
    {
        if (traceParent is null || !ActivityContext.TryParse(traceParent, null, isRemote: true, out var parent))
        {
            return null;
        }

        var run = Source.StartActivity(ActivityKind.Internal, parent, name: $"invoke_agent {AgentName}", tags:
        [
            new("gen_ai.operation.name", "invoke_agent"),
            new("gen_ai.agent.name", AgentName),
            new("gen_ai.conversation.id", executionId),
        ]);
        if (run is not null && resumedAfter > 0)
        {
            run.SetTag("orleans_agent.resumed_after_sequence", resumedAfter); // a failover: the run continues here
        }

        return run;
    }

    /// <summary>The span of one tool call, under the run's.</summary>
    public static Activity? StartTool(string toolName, string callId) => !Source.HasListeners()
        ? null // tracing is off (the default): no name and tags built per call for nobody
        : Source.StartActivity(ActivityKind.Internal, parentContext: default, name: $"execute_tool {toolName}", tags:
        [
            new("gen_ai.operation.name", "execute_tool"),
            new("gen_ai.tool.name", toolName),
            new("gen_ai.tool.call.id", callId),
        ]);

    /// <summary>The trace id a user can look up: that of a sampled <paramref name="traceParent"/>, else null.</summary>
    public static string? TraceId(string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, out var context)
            && context.TraceFlags.HasFlag(ActivityTraceFlags.Recorded)
            ? context.TraceId.ToHexString()
            : null;

    /// <summary>Marks <paramref name="span"/> failed with a low-cardinality <paramref name="errorType"/>.</summary>
    public static void Fail(this Activity? span, string errorType, string? description)
    {
        span?.SetStatus(ActivityStatusCode.Error, description);
        span?.SetTag("error.type", errorType);
    }
}
