namespace Orleans.Agent.Api.Streaming;

public static class StreamingExtensions
{
    public static WebApplicationBuilder AddAgentStreaming(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SseOptions>()
            .BindConfiguration(SseOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<ExecutionStreamHub>();
        builder.Services.AddHostedService<ExecutionStreamSweep>();
        return builder;
    }
}
