using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Orleans.Agent.Tests;

/// <summary>
/// <c>/metrics</c> scraped over real HTTP from an API process of its own: OpenTelemetry collects every meter of a
/// name in the process, so a server sharing a test process with others would report their connections too.
/// </summary>
public sealed class MetricsScrapeTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_scrape_counts_open_connections_and_subscriptions_and_exports_kestrels_and_orleans_meters()
    {
        var (process, url) = await StartApi();
        try
        {
            using var api = await ClusterProcesses.SignIn(url, "alice");
            using var metrics = new HttpClient { BaseAddress = url }; // no token: the scrape is anonymous, like the probes
            Assert.Equal(HttpStatusCode.Unauthorized, (await metrics.GetAsync("/api/agent/executions")).StatusCode);
            Assert.Equal(0, await Gauge(metrics, "orleans_agent_sse_connections"));

            var started = await api.PostAsJsonAsync("/api/agent/execute",
                new { task = "metrics", context = new { workload = new { phases = 1, steps = 300, delayMs = 100, thoughtBytes = 8 } } });
            var id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("executionId").GetString();
            var streams = new List<HttpResponseMessage>();
            for (var i = 0; i < 2; i++)
            {
                streams.Add(await api.GetAsync($"/api/agent/stream/{id}", HttpCompletionOption.ResponseHeadersRead));
            }

            await Poll.Until(async () => await Gauge(metrics, "orleans_agent_sse_connections") == 2
                && await Gauge(metrics, "orleans_agent_sse_executions_subscribed") == 1, Deadline, () => metrics.GetStringAsync("/metrics"));

            streams.ForEach(s => s.Dispose());
            await Poll.Until(async () => await Gauge(metrics, "orleans_agent_sse_connections") == 0
                && await Gauge(metrics, "orleans_agent_sse_executions_subscribed") == 0, Deadline, () => metrics.GetStringAsync("/metrics"));

            var scrape = await metrics.GetStringAsync("/metrics");
            foreach (var name in new[] { "kestrel_active_connections", "http_server_request_duration_seconds_count", "orleans_catalog_activations", "orleans_agent_sse_slow_consumer_disconnects_total" })
            {
                Assert.Contains(name, scrape, StringComparison.Ordinal);
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
        }
    }

    /// <summary>The value of an unlabelled-but-for-its-scope series in the scrape.</summary>
    private static async Task<double> Gauge(HttpClient metrics, string name)
    {
        var scrape = await metrics.GetStringAsync("/metrics");
        var match = Regex.Match(scrape, $@"^{name}\{{[^}}]*\}} (\S+)", RegexOptions.Multiline);
        Assert.True(match.Success, $"{name} is not in the scrape.");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>An API process with its own silo, serving; started again on new ports if another process took one first.</summary>
    private static async Task<(Process Process, Uri Url)> StartApi()
    {
        for (var attempt = 1; ; attempt++)
        {
            var url = new Uri($"http://127.0.0.1:{FreePorts.Next()}");
            var process = Process.Start(new ProcessStartInfo("dotnet",
            [
                TestPaths.BuildOutput("src/Api", "Orleans.Agent.Api.dll"), "--urls", url.ToString(), "--environment", "Development",
                "--contentRoot", Path.Combine(TestPaths.RepositoryRoot, "src", "Api"), "--Logging:LogLevel:Default=Warning",
                $"--Silo:SiloPort={FreePorts.Next()}", $"--Silo:GatewayPort={FreePorts.Next()}",
            ])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            await Poll.Until(async () => process.HasExited || await Ready(url), Deadline);
            if (!process.HasExited)
            {
                return (process, url);
            }

            Assert.True(attempt < 3, "The API process exited during start-up three times.");
            process.Dispose();
        }
    }

    private static async Task<bool> Ready(Uri url)
    {
        try
        {
            using var probe = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(5) };
            return (await probe.GetAsync("/health/ready")).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }
}
