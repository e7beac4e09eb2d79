using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;
using Orleans.Agent.Api.Streaming;

namespace Orleans.Agent.Api.Http;

public static class CorsExtensions
{
    /// <summary>The default CORS policy from <see cref="CorsSettings"/>: GET and POST, any request header, credentials only if set.</summary>
    public static WebApplicationBuilder AddAgentCors(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<CorsSettings>().BindConfiguration(CorsSettings.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddCors();
        builder.Services.AddOptions<CorsOptions>().Configure<IOptions<CorsSettings>>((cors, settings) =>
            cors.AddDefaultPolicy(policy =>
            {
                var origins = settings.Value.AllowedOrigins.Select(o => o.TrimEnd('/')).ToArray();
                if (origins.Contains("*"))
                {
                    policy.AllowAnyOrigin();
                }
                else
                {
                    policy.WithOrigins(origins);
                }

                policy.WithMethods("GET", "POST").AllowAnyHeader().WithExposedHeaders("Retry-After", "Location", "Last-Event-ID");
                if (settings.Value.AllowCredentials)
                {
                    policy.AllowCredentials();
                }
            }));
        return builder;
    }
}
