using System.Buffers;
using System.Buffers.Text;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Orleans.Agent.Grains.Agents;

namespace Orleans.Agent.Bench;

/// <summary>Execute, stream and cancel, shaped like the real API's.</summary>
public static class BaselineEndpoints
{
    public static async Task<IResult> Execute(HttpRequest request, BaselineExecutions executions)
    {
        using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
        var root = body.RootElement;
        JsonElement? context = root.TryGetProperty("context", out var c) ? c : null;
        if (!root.TryGetProperty("task", out var task) || task.GetString() is not { Length: > 0 } text
            || !SyntheticWorkload.TryRead(context, out var workload, out var error) || workload is null)
        {
            return Results.Problem("The baseline runs only {task, context: {workload}}.", statusCode: 400);
        }

        var execution = executions.Start(text, workload);
        return Results.Json(new { executionId = execution.Id, streamUrl = $"/api/agent/stream/{execution.Id}" }, statusCode: 202);
    }

    public static IResult Cancel(string executionId, BaselineExecutions executions)
    {
        if (executions.Find(executionId) is not { } execution)
        {
            return Results.NotFound();
        }

        execution.Cancellation.Cancel();
        return Results.Json(new { executionId, cancelled = true }, statusCode: 202);
    }

    public static async Task Stream(string executionId, HttpContext http, BaselineExecutions executions)
    {
        if (executions.Find(executionId) is not { } execution)
        {
            http.Response.StatusCode = 404;
            return;
        }

        _ = long.TryParse(http.Request.Headers["Last-Event-ID"], out var after);
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        var output = http.Response.BodyWriter;
        var frames = execution.Watch(after, out var stopWatching);
        try
        {
            output.Write("retry: 1000\n\n"u8);
            await output.FlushAsync(http.RequestAborted);
            while (await frames.WaitToReadAsync(http.RequestAborted))
            {
                var ended = false;
                while (frames.TryRead(out var frame))
                {
                    Write(output, frame);
                    ended = frame.IsTerminal;
                }

                await output.FlushAsync(http.RequestAborted);
                if (ended)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // the client left
        }
        finally
        {
            stopWatching();
        }
    }

    private static void Write(PipeWriter output, BaselineExecution.Frame frame)
    {
        output.Write("id: "u8);
        var span = output.GetSpan(20);
        Utf8Formatter.TryFormat(frame.Sequence, span, out var written);
        output.Advance(written);
        output.Write("\nevent: "u8);
        Encoding.UTF8.GetBytes(frame.Type, output);
        output.Write("\ndata: "u8);
        output.Write(frame.Json);
        output.Write("\n\n"u8);
    }
}
