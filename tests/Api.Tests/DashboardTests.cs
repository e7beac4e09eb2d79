using System.Net;
using System.Text.Json;

namespace Orleans.Agent.Tests;

/// <summary>Orleans' dashboard on the API: on in Development, behind its network policy, off when disabled.</summary>
public sealed class DashboardTests
{
    [Fact]
    public async Task In_development_the_dashboard_serves_its_page_and_the_clusters_counters_to_loopback()
    {
        await using var server = await ApiServer.Start("Development");
        using var operatorClient = server.Anonymous();

        using var page = await operatorClient.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);

        // The counters come from the silo (the co-hosted one here): the dashboard sees the cluster, not just a page.
        await ApiTestHelpers.Eventually(async () =>
        {
            using var counters = await operatorClient.GetAsync("/dashboard/DashboardCounters");
            return counters.StatusCode == HttpStatusCode.OK
                && JsonDocument.Parse(await counters.Content.ReadAsStringAsync()).RootElement.GetProperty("totalActiveHostCount").GetInt32() == 1;
        });
    }

    [Fact]
    public async Task Callers_outside_its_allowed_networks_are_refused()
    {
        await using var server = await ApiServer.Start("Development", "--Dashboard:AllowedNetworks:0=10.0.0.0/8");
        using var outsider = server.Anonymous();

        Assert.Equal(HttpStatusCode.Unauthorized, (await outsider.GetAsync("/dashboard/")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await outsider.GetAsync("/dashboard/DashboardCounters")).StatusCode);
    }

    [Theory]
    [InlineData("Production", "--Auth:SigningKey=a-production-key-for-tests-only-0123456789")] // off by default there
    [InlineData("Development", "--Dashboard:Enabled=false")]
    public async Task Off_it_is_not_there(string environment, string setting)
    {
        await using var server = await ApiServer.Start(environment, setting);
        using var client = server.Anonymous();

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/dashboard/")).StatusCode);
    }
}
