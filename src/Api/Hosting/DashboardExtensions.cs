using Orleans.Agent.Grains.Hosting;
using Orleans.Dashboard;

namespace Orleans.Agent.Api.Hosting;

/// <summary>Orleans' dashboard on the API node, behind an authorization policy (see <see cref="OperatorDashboardOptions"/>).</summary>
public static class DashboardExtensions
{
    public const string Policy = "orleans-agent-dashboard";

    /// <summary>The dashboard's policy: the caller's address is in <see cref="OperatorDashboardOptions.AllowedNetworks"/>.</summary>
    public static WebApplicationBuilder AddAgentDashboard(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetValidated<OperatorDashboardOptions>(OperatorDashboardOptions.Section);
        var networks = options.Networks;
        builder.Services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy.RequireAssertion(context =>
            context.Resource is HttpContext http && networks.Admits(http.Connection.RemoteIpAddress)));
        return builder;
    }

    public static WebApplication MapAgentDashboard(this WebApplication app)
    {
        var options = app.Configuration.GetValidated<OperatorDashboardOptions>(OperatorDashboardOptions.Section);
        if (options.IsEnabled(app.Environment))
        {
            app.MapOrleansDashboard(options.Path).RequireAuthorization(Policy);
        }

        return app;
    }
}
