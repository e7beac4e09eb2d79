using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;
using Orleans.Agent.Serialization;

namespace Orleans.Agent.Api.Http;

public static class HttpExtensions
{
    /// <summary>Problem details for every error, the wire JSON settings for every response, and the sockets' backlog and scheduling.</summary>
    public static WebApplicationBuilder AddAgentHttp(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(problems => problems.CustomizeProblemDetails = Auth.UnauthorizedReasons.Customize);
        builder.Services.AddSingleton<JsonBody>();
        // The framework's request log writes raw query strings (stream tokens included); ours scrubs them. Off
        // entirely, not just below Warning: while any level of it is enabled, hosting creates an Activity and a log
        // scope for every request, and a stream keeps both for its life (0.54 KiB per idle connection in a gcdump).
        // Problem details then carry the request's TraceIdentifier as traceId instead of a W3C trace id; a tracing
        // listener (OpenTelemetry), if one is ever added, makes hosting create the Activity again regardless.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        builder.Services.ConfigureHttpJsonOptions(json => AgentJson.Configure(json.SerializerOptions));
        builder.Services.AddOptions<SocketSettings>().BindConfiguration(SocketSettings.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<SocketTransportOptions>().Configure<IOptions<SocketSettings>>((sockets, settings) =>
        {
            sockets.Backlog = settings.Value.Backlog;
            sockets.UnsafePreferInlineScheduling = settings.Value.InlineScheduling;
        });
        return builder;
    }

    /// <summary>
    /// Unhandled exceptions become a 500 problem (never a stack trace outside Development), and bodiless errors
    /// such as the 401 of the bearer challenge or a 404 for an unknown path become problems too.
    /// </summary>
    public static WebApplication UseAgentHttp(this WebApplication app)
    {
        app.UseMiddleware<RequestLoggingMiddleware>();
        app.UseMiddleware<UnavailableDependencyMiddleware>();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler();
        }

        app.UseStatusCodePages();
        return app;
    }
}
