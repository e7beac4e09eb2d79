using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
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
        await using var server = await StartApi();
        var url = server.Url;
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
        foreach (var name in new[] { "kestrel_active_connections", "http_server_request_duration_seconds_count", "orleans_catalog_activations", "orleans_agent_sse_slow_consumer_disconnects_total", "orleans_agent_sse_text_turns_waited_total", "orleans_agent_sse_text_waiting" })
        {
            Assert.Contains(name, scrape, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Known_work_adds_exact_counts_appended_delivered_lagged_resumed_rejected_and_quiet_connections_show()
    {
        // Two streams per user, so a third is a 429; a one-second heartbeat, so a quiet stream shows within the deadline.
        await using var server = await StartApi("--Limits:StreamsPerUser=2", "--Sse:HeartbeatInterval=00:00:01");
        var url = server.Url;
        using var api = await ClusterProcesses.SignIn(url, "alice");
        using var metrics = new HttpClient { BaseAddress = url };
        // 3 + 3 x (2 + 3 x 10) = 99 events, over at least 6 s: the third stream must find the first two still open,
        // and on a loaded machine three requests to a fresh API process took longer than the 0.6 s of 20 ms steps.
        var id = await Start(api, new { phases = 3, steps = 10, delayMs = 200, thoughtBytes = 8 });
        var first = await api.GetAsync($"/api/agent/stream/{id}", HttpCompletionOption.ResponseHeadersRead);
        var second = await api.GetAsync($"/api/agent/stream/{id}", HttpCompletionOption.ResponseHeadersRead);
        using (var third = await api.GetAsync($"/api/agent/stream/{id}", HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        }

        var read = await Task.WhenAll(ReadAll(first), ReadAll(second));
        Assert.All(read, events => Assert.Equal(99, events));
        // A resume after event 90 reads the last 9.
        using (var resume = new HttpRequestMessage(HttpMethod.Get, $"/api/agent/stream/{id}") { Headers = { { "Last-Event-ID", "90" } } })
        {
            Assert.Equal(9, await ReadAll(await api.SendAsync(resume, HttpCompletionOption.ResponseHeadersRead)));
        }

        // Counted after each flush completes, which may be just after the client read it: wait, within a deadline.
        await Poll.Until(async () => await Sum(metrics, "orleans_agent_sse_events_delivered_total") == 207, Deadline, () => metrics.GetStringAsync("/metrics"));
        var scrape = await metrics.GetStringAsync("/metrics");
        Assert.Equal(99, Sum(scrape, "orleans_agent_events_appended_total"));
        Assert.Equal(30, Sum(scrape, "orleans_agent_events_appended_total", "type=\"thinking\"")); // one per step
        Assert.Equal(207, Sum(scrape, "orleans_agent_sse_delivery_lag_seconds_count"));
        Assert.Equal(1, Sum(scrape, "orleans_agent_sse_resumes_total"));
        Assert.Equal(1, Sum(scrape, "orleans_agent_limits_rejections_total", "limit=\"StreamsPerUser\"", "http_response_status_code=\"429\""));
        Assert.Equal(1, Sum(scrape, "orleans_agent_executions_started_total"));
        Assert.Equal(1, Sum(scrape, "orleans_agent_executions_finished_total", "status=\"completed\""));
        Assert.Equal(0, Sum(scrape, "orleans_agent_executions_running"));
        Assert.Equal(99, Sum(scrape, "orleans_agent_log_append_batch_size_sum"));
        Assert.True(Sum(scrape, "orleans_agent_log_append_duration_seconds_count") is > 0 and <= 99);

        // A stream whose execution is quiet writes heartbeats only, and is counted as such until it ends.
        var quiet = await Start(api, new { phases = 1, steps = 1, delayMs = 600_000, thoughtBytes = 8 });
        var waiting = await api.GetAsync($"/api/agent/stream/{quiet}", HttpCompletionOption.ResponseHeadersRead);
        var ending = ReadAll(waiting);
        await Poll.Until(async () => await Sum(metrics, "orleans_agent_sse_heartbeat_only_connections") == 1, Deadline, () => metrics.GetStringAsync("/metrics"));
        (await api.PostAsync($"/api/agent/executions/{quiet}/cancel", null)).EnsureSuccessStatusCode();
        await ending;
        await Poll.Until(async () => await Sum(metrics, "orleans_agent_sse_heartbeat_only_connections") == 0
            && await Sum(metrics, "orleans_agent_executions_finished_total", "status=\"cancelled\"") == 1, Deadline, () => metrics.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task A_client_that_stops_reading_is_counted_as_cut_off()
    {
        await using var server = await StartApi("--Sse:LiveBufferEvents=64", "--Sse:LiveBufferBytes=1048576");
        var url = server.Url;
        using var api = await ClusterProcesses.SignIn(url, "alice");
        using var metrics = new HttpClient { BaseAddress = url };
        // 600 thoughts of 20 KB: far more than the socket buffers and the 1 MB live buffer hold.
        var id = await Start(api, new { phases = 1, steps = 600, delayMs = 5, thoughtBytes = 20_000 });
        using var stalled = await api.GetAsync($"/api/agent/stream/{id}", HttpCompletionOption.ResponseHeadersRead);
        await Poll.Until(async () => await Sum(metrics, "orleans_agent_sse_slow_consumer_disconnects_total") == 1, Deadline, () => metrics.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task A_silo_serves_its_metrics_on_its_port_and_an_api_node_on_its_own_port_to_allowed_networks_only()
    {
        var (siloPort, apiPort) = (FreePorts.Next(), FreePorts.Next());
        await using var cluster = await ClusterProcesses.Start(new ClusterSetup(1, 1)
        {
            SiloSettings = [$"--Metrics:Port={siloPort}"],
            ApiSettings = [$"--Metrics:Port={apiPort}", "--Metrics:AllowedNetworks:0=127.0.0.0/8", "--Metrics:AllowedNetworks:1=::1/128"],
        });
        var node = cluster.ApiNodes[0].Url;
        using var api = await ClusterProcesses.SignIn(node, "alice");
        using var anonymous = new HttpClient();
        var silo = new Uri($"http://127.0.0.1:{siloPort}/metrics");
        // A fresh silo shows its instruments before its first execution: its store faults at 0, not absent.
        Assert.Equal(0, Sum(await anonymous.GetStringAsync(silo), "orleans_agent_log_append_failures_total"));
        Assert.Contains("orleans_agent_log_append_failures_total{", await anonymous.GetStringAsync(silo), StringComparison.Ordinal);
        // 3 + 1 x (2 + 3 x 2) = 11 events.
        var id = await Start(api, new { phases = 1, steps = 2, delayMs = 0, thoughtBytes = 8 });
        using (var stream = await api.GetAsync($"/api/agent/stream/{id}", HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(11, await ReadAll(stream));
        }

        // The silo's scrape holds its executions and events; the API node's holds its streams, on its metrics port only.
        await Poll.Until(async () => Sum(await anonymous.GetStringAsync(silo), "orleans_agent_events_appended_total") == 11, Deadline, () => anonymous.GetStringAsync(silo));
        var siloScrape = await anonymous.GetStringAsync(silo);
        Assert.Equal(1, Sum(siloScrape, "orleans_agent_executions_finished_total", "status=\"completed\""));
        Assert.Contains("orleans_catalog_activations", siloScrape, StringComparison.Ordinal);
        Assert.Contains("service_name=\"orleans-agent-silo\"", siloScrape, StringComparison.Ordinal); // so a trace names both sides
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(new Uri(node, "/metrics"))).StatusCode);
        var nodeScrape = await anonymous.GetStringAsync(new Uri($"http://127.0.0.1:{apiPort}/metrics"));
        Assert.Equal(11, Sum(nodeScrape, "orleans_agent_sse_events_delivered_total"));
        Assert.DoesNotContain("orleans_agent_events_appended_total", nodeScrape, StringComparison.Ordinal); // no silo in this node
        Assert.Contains("service_name=\"orleans-agent-api\"", nodeScrape, StringComparison.Ordinal);
        // The API itself is not served on the metrics port.
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"http://127.0.0.1:{apiPort}/api/agent/executions")).StatusCode);
    }

    [Fact]
    public async Task A_scrape_from_outside_the_allowed_networks_is_not_found()
    {
        await using var server = await StartApi("--Metrics:AllowedNetworks:0=10.0.0.0/8");
        var url = server.Url;
        using var metrics = new HttpClient { BaseAddress = url };
        Assert.Equal(HttpStatusCode.NotFound, (await metrics.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await metrics.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task Every_metric_the_grafana_dashboard_queries_is_in_a_real_scrape()
    {
        var queried = DashboardMetricNames();
        Assert.True(queried.Count >= 20, $"only {queried.Count} metric names found in the dashboard");
        await using var server = await StartApi();
        var url = server.Url;
        using var api = await ClusterProcesses.SignIn(url, "alice");
        using var metrics = new HttpClient { BaseAddress = url };
        // A builtin-model run (model and tool calls) read by a client: the one process is silo and API node.
        var started = await api.PostAsJsonAsync("/api/agent/execute", new { task = "Create a landing page for a coffee shop" });
        var id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("executionId").GetString();
        Assert.True(await ReadAll(await api.GetAsync($"/api/agent/stream/{id}", HttpCompletionOption.ResponseHeadersRead)) > 5);

        string scrape = "";
        await Poll.Until(async () =>
        {
            scrape = await metrics.GetStringAsync("/metrics");
            return queried.All(name => Regex.IsMatch(scrape, $@"^{name}[{{ ]", RegexOptions.Multiline));
        }, Deadline, () => Task.FromResult("missing from the scrape: " + string.Join(", ", queried.Where(name => !Regex.IsMatch(scrape, $@"^{name}[{{ ]", RegexOptions.Multiline)))));
    }

    /// <summary>The metric names in every PromQL expression of deploy/grafana/orleans-agent.json.</summary>
    private static HashSet<string> DashboardMetricNames()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "deploy", "grafana", "orleans-agent.json")));
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var panel in dashboard.RootElement.GetProperty("panels").EnumerateArray())
        {
            foreach (var target in panel.TryGetProperty("targets", out var targets) ? targets.EnumerateArray() : default)
            {
                // Without grouping clauses, label matchers and ranges, what is not a function call is a metric name.
                var expr = Regex.Replace(target.GetProperty("expr").GetString()!, @"\b(by|without)\s*\([^)]*\)|\{[^}]*\}|\[[^\]]*\]", " ");
                foreach (Match name in Regex.Matches(expr, @"\b[a-z_][a-z0-9_]*\b(?!\s*\()"))
                {
                    names.Add(name.Value);
                }
            }
        }

        return names;
    }

    private static async Task<string> Start(HttpClient api, object workload)
    {
        var started = await api.PostAsJsonAsync("/api/agent/execute", new { task = "metrics", context = new { workload } });
        started.EnsureSuccessStatusCode();
        return (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("executionId").GetString()!;
    }

    /// <summary>Reads a stream to its end with the SSE parser and returns how many events it carried.</summary>
    private static async Task<int> ReadAll(HttpResponseMessage response)
    {
        using (response)
        {
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync();
            var count = 0;
            await foreach (var _ in SseParser.Create(body).EnumerateAsync())
            {
                count++;
            }

            return count;
        }
    }

    private static async Task<double> Sum(HttpClient metrics, string name, params string[] labels) => Sum(await metrics.GetStringAsync("/metrics"), name, labels);

    /// <summary>The sum of a metric's series in a scrape that carry every one of <paramref name="labels"/>; 0 when none does.</summary>
    private static double Sum(string scrape, string name, params string[] labels) =>
        Regex.Matches(scrape, $@"^{name}\{{([^}}]*)\}} (\S+)", RegexOptions.Multiline)
            .Where(m => labels.All(label => m.Groups[1].Value.Contains(label, StringComparison.Ordinal)))
            .Sum(m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));

    /// <summary>The value of an unlabelled-but-for-its-scope series in the scrape.</summary>
    private static async Task<double> Gauge(HttpClient metrics, string name)
    {
        var scrape = await metrics.GetStringAsync("/metrics");
        var match = Regex.Match(scrape, $@"^{name}\{{[^}}]*\}} (\S+)", RegexOptions.Multiline);
        Assert.True(match.Success, $"{name} is not in the scrape.");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>An API process with its own silo; the builtin model at full speed (Development paces it for people).</summary>
    private static Task<ApiProcess> StartApi(params string[] settings) => ApiProcess.Start(["--Model:BuiltinChunkDelay=00:00:00", .. settings]);
}
