using System.Diagnostics;
using Microsoft.AspNetCore.Http.Extensions;
using Orleans.Agent.Api.Auth;

namespace Orleans.Agent.Api.Http;

/// <summary>
/// One log line per request, with every credential in the query string replaced by <c>***</c>. ASP.NET Core's own
/// request logging (Microsoft.AspNetCore.Hosting.Diagnostics) writes the raw query, stream tokens included, so it is
/// held at Warning in <see cref="HttpExtensions.AddAgentHttp"/> and this line takes its place.
/// </summary>
public sealed partial class RequestLoggingMiddleware(RequestDelegate next, ILogger<RequestLoggingMiddleware> logger)
{
    private static readonly string[] SecretParameters = ["access_token", "token", "api_key", "apikey"];

    public async Task InvokeAsync(HttpContext context)
    {
        // A timestamp, not a Stopwatch: a stream keeps this frame for its life, and every object in it with it.
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            if (logger.IsEnabled(LogLevel.Information))
            {
                var path = context.Request.Path.Value ?? "";
                var query = Scrub(context.Request.Query);
                var elapsedMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                LogRequest(logger, context.Request.Method, path, query, context.Response.StatusCode, elapsedMs);
            }
        }
    }

    /// <summary>The query string with secret parameters' values replaced, so it is safe to log.</summary>
    public static string Scrub(IQueryCollection query)
    {
        if (query.Count == 0)
        {
            return "";
        }

        var builder = new QueryBuilder();
        foreach (var (key, values) in query)
        {
            var secret = SecretParameters.Contains(key, StringComparer.OrdinalIgnoreCase);
            foreach (var value in values)
            {
                builder.Add(key, secret ? "***" : value ?? "");
            }
        }

        return builder.ToString();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "HTTP {Method} {Path}{Query} responded {StatusCode} in {ElapsedMs} ms")]
    private static partial void LogRequest(ILogger logger, string method, string path, string query, int statusCode, long elapsedMs);
}
