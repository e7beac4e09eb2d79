using Microsoft.Extensions.DependencyInjection;
using Orleans.Agent.Events;
using Orleans.Runtime;

namespace Orleans.Agent.Tests;

/// <summary>The one-process deployment (the API and its in-process silo): its silo has no peer to hand its grains to.</summary>
public sealed class SingleSiloTests
{
    [Fact]
    public async Task A_single_silo_that_its_membership_would_declare_dead_keeps_serving()
    {
        await using var server = await ApiServer.Start("Development");
        var membership = server.Services.GetRequiredService<IClusterMembershipService>();
        var self = server.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;

        // A Dead verdict on its own entry, which a busy whole-suite run once met ("classifies this silo as Dead (in
        // DeclareDead)"): Orleans then ends the process (Environment.FailFast), which here would be the test host.
        await membership.TryKill(self);

        Assert.Equal(SiloStatus.Active, membership.CurrentSnapshot.GetSiloStatus(self));
        using var alice = await server.SignIn("alice");
        var (id, _) = await alice.Execute(new { task = "Still here" });
        var frames = await alice.ReadStream($"/api/agent/stream/{id}");
        Assert.Equal(AgentEventTypes.ExecutionComplete, frames[^1].Type);
    }
}
