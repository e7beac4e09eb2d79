using System.Text;

namespace Orleans.Agent.Tests;

public sealed class HeartbeatTests
{
    [Fact]
    public async Task A_quiet_stream_sends_ping_comments_at_the_configured_interval()
    {
        await using var server = await ApiServer.Start("Development", "--Sse:HeartbeatInterval=00:00:01");
        using var alice = await server.SignIn("alice");
        var (id, streamUrl) = await alice.Execute(ApiTestHelpers.Workload(1, 1, 60_000, 1));
        using var timeout = new CancellationTokenSource(ApiServer.Deadline);

        using var response = await alice.GetAsync(streamUrl, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
        var received = new StringBuilder();
        var buffer = new byte[4096];
        while (!received.ToString().Contains("\n: ping\n\n", StringComparison.Ordinal))
        {
            var read = await body.ReadAsync(buffer, timeout.Token);
            Assert.True(read > 0, "The stream ended before a heartbeat.");
            received.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        Assert.Equal("no", response.Headers.GetValues("X-Accel-Buffering").Single());
        Assert.StartsWith("retry: 1000\n\n", received.ToString(), StringComparison.Ordinal);
        Assert.Contains("event: plan:created", received.ToString(), StringComparison.Ordinal);
        await alice.PostAsync($"/api/agent/executions/{id}/cancel", null, timeout.Token);
    }
}
