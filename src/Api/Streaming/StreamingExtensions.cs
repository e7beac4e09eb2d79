using Microsoft.Extensions.Options;
using Orleans.Agent.Api.Observability;
using Orleans.Agent.Executions;

namespace Orleans.Agent.Api.Streaming;

public static class StreamingExtensions
{
    public static WebApplicationBuilder AddAgentStreaming(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SseOptions>()
            .BindConfiguration(SseOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<ILiveSource>(sp =>
        {
            var sse = sp.GetRequiredService<IOptions<SseOptions>>().Value;
            var client = sp.GetRequiredService<IClusterClient>();
            return sse.LiveSource == LiveEventSource.Stream
                ? new StreamLiveSource(client)
                : new PushLiveSource(client, sse.InProcessPush ? sp.GetService<IInProcessWatchers>() : null);
        });
        builder.Services.AddSingleton(sp =>
        {
            var client = sp.GetRequiredService<IClusterClient>();
            return new ExecutionStreamHub(
                sp.GetRequiredService<ILiveSource>(), id => client.GetGrain<IExecutionGrain>(id), sp.GetRequiredService<ILogger<ExecutionStreamHub>>(),
                TextPacer.For(sp.GetRequiredService<IOptions<SseOptions>>().Value, TimeProvider.System));
        });
        builder.Services.AddSingleton<StreamMetrics>();
        builder.Services.AddHostedService<ExecutionStreamSweep>();
        return builder;
    }
}
