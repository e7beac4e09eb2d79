using Scalar.AspNetCore;

namespace Orleans.Agent.Api.OpenApi;

/// <summary>The API's OpenAPI document at <c>/openapi/v1.json</c>, and its reference page (<c>/scalar</c>) in Development.</summary>
public static class OpenApiExtensions
{
    public const string DocumentPath = "/openapi/v1.json";

    public static WebApplicationBuilder AddAgentOpenApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenApi("v1", options =>
        {
            // The API, not the Orleans dashboard's routes (an operator's page with its own JSON).
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            options.AddSchemaTransformer<WireSchemas>();
            options.AddDocumentTransformer<DocumentInfo>();
            options.AddDocumentTransformer<SecuritySchemes>();
            options.AddDocumentTransformer<EventSchemas>();
            options.AddOperationTransformer<SecuritySchemes>();
        });
        builder.Services.AddOutputCache();
        return builder;
    }

    /// <summary>
    /// Anonymous, like any published API description: it names routes and shapes, never data. Generating it takes tens
    /// of milliseconds of CPU, so it is made once and then served from the output cache (which skips every request
    /// of an endpoint without a cache policy, streams included, at no cost).
    /// </summary>
    public static WebApplication MapAgentOpenApi(this WebApplication app)
    {
        app.UseOutputCache();
        app.MapOpenApi().AllowAnonymous().CacheOutput(cache => cache.Expire(TimeSpan.FromDays(365)));
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference(options => options.WithTitle("Orleans.Agent API")).AllowAnonymous();
        }

        return app;
    }
}
