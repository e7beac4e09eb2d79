using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.Options;

namespace Orleans.Agent.Api.Http;

public static class CompressionExtensions
{
    /// <summary>
    /// Brotli, else gzip, for the responses whose client asks, event streams too when <see cref="CompressionSettings.Streams"/>:
    /// the middleware's compressor flushes with each flush of the stream (every batch and heartbeat), and keeps its
    /// window across flushes, so the keys every event repeats cost a few bytes after the first.
    /// </summary>
    public static WebApplicationBuilder AddAgentCompression(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<CompressionSettings>().BindConfiguration(CompressionSettings.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddResponseCompression();
        builder.Services.AddOptions<ResponseCompressionOptions>().Configure<IOptions<CompressionSettings>>((options, settings) =>
        {
            // BREACH needs a browser that sends credentials by itself (cookies) with text of an attacker's choosing;
            // credentials here travel in a header or a query token the page adds, so HTTPS answers are compressed too.
            options.EnableForHttps = true;
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
            options.MimeTypes = [.. ResponseCompressionDefaults.MimeTypes, "application/problem+json", .. settings.Value.Streams ? ["text/event-stream"] : Array.Empty<string>()];
        });
        builder.Services.AddOptions<BrotliCompressionProviderOptions>().Configure<IOptions<CompressionSettings>>((o, s) => o.Level = s.Value.Level);
        builder.Services.AddOptions<GzipCompressionProviderOptions>().Configure<IOptions<CompressionSettings>>((o, s) => o.Level = s.Value.Level);
        return builder;
    }

    public static WebApplication UseAgentCompression(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<CompressionSettings>>().Value.Enabled)
        {
            app.UseResponseCompression();
        }

        return app;
    }
}
