using Orleans.Agent.Api.Auth;
using Orleans.Agent.Api.Executions;
using Orleans.Agent.Api.Hosting;
using Orleans.Agent.Api.Http;
using Orleans.Agent.Api.Limits;
using Orleans.Agent.Api.OpenApi;
using Orleans.Agent.Api.Streaming;

namespace Orleans.Agent.Api;

/// <summary>Builds the API application: the same one <c>Program</c> runs and the tests start on a loopback port.</summary>
public static class AgentApiApplication
{
    /// <param name="args">Command-line arguments (configuration keys included).</param>
    /// <param name="configure">Extra registrations, e.g. tools added with <c>AddAgentTool</c>.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddAgentOrleans();
        configure?.Invoke(builder);
        builder.AddAgentAuthentication();
        builder.AddAgentHttp();
        builder.AddAgentCompression();
        builder.AddAgentStreaming();
        builder.AddAgentLimits();
        builder.AddAgentCors();
        builder.AddAgentHealthChecks();
        builder.AddAgentObservability();
        builder.AddAgentDashboard();
        builder.AddAgentOpenApi();

        var app = builder.Build();
        app.UseAgentHttp();
        app.UseAgentCompression();
        app.UseAgentMetricsFence();
        app.UseAgentWebConsole();
        app.UseCors();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();

        // Any call that needs a grain can meet a store or cluster outage (UnavailableDependencyMiddleware).
        var agent = app.MapGroup("/api/agent").ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        agent.MapGroup("").RequireAuthorization(AuthenticationExtensions.OwnerPolicy)
            .MapExecutionEndpoints()
            .MapWorkspaceEndpoints()
            .MapArtifactEndpoints()
            .MapStreamTokenEndpoint();
        // What a browser opens by URL: the bearer token, or a stream token of that one execution (StreamTokens).
        agent.MapGroup("").RequireAuthorization(AuthenticationExtensions.StreamPolicy)
            .MapStreamEndpoint()
            .MapWorkspaceFileEndpoint();
        app.MapDevTokenEndpoint();
        app.MapAgentHealthChecks();
        app.MapAgentMetrics();
        app.MapAgentDashboard();
        app.MapAgentOpenApi();
        return app;
    }
}
