using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Orleans.Agent.Tests;

/// <summary>
/// A real cluster on loopback: redis-server, silo processes and API-node processes (Hosting:Mode=Client), started
/// from their build outputs exactly as deploy/local-cluster.sh starts them.
/// </summary>
public sealed class ClusterProcesses : IAsyncDisposable
{
    private readonly List<Process> _processes = [];

    private ClusterProcesses(RedisServer redis) => Redis = redis;

    public RedisServer Redis { get; }

    public List<Process> Silos { get; } = [];

    public List<(Process Process, Uri Url)> ApiNodes { get; } = [];

    public static async Task<ClusterProcesses> Start(int silos, int apiNodes)
    {
        var cluster = new ClusterProcesses(await RedisServer.Start());
        for (var i = 0; i < silos; i++)
        {
            cluster.Silos.Add(cluster.Run(TestPaths.BuildOutput("src/Silo", "Orleans.Agent.Silo.dll"),
                $"--Silo:SiloPort={FreePorts.Next()}", $"--Silo:GatewayPort={FreePorts.Next()}"));
        }

        for (var i = 0; i < apiNodes; i++)
        {
            var url = new Uri($"http://127.0.0.1:{FreePorts.Next()}");
            var process = cluster.Run(TestPaths.BuildOutput("src/Api", "Orleans.Agent.Api.dll"),
                "--urls", url.ToString(), "--Hosting:Mode=Client", "--environment", "Development",
                "--contentRoot", Path.Combine(TestPaths.RepositoryRoot, "src", "Api"),
                "--Sse:CatchUpInterval=00:00:01", "--Limits:ExecutionsPerMinutePerUser=100000", "--Limits:StreamsPerUser=10000");
            cluster.ApiNodes.Add((process, url));
        }

        foreach (var (_, url) in cluster.ApiNodes)
        {
            await WaitUntilServing(url);
        }

        return cluster;
    }

    /// <summary>A client of <paramref name="node"/> signed in as <paramref name="userId"/> (dev tokens work on every node: one key).</summary>
    public static async Task<HttpClient> SignIn(Uri node, string userId)
    {
        var client = new HttpClient { BaseAddress = node, Timeout = TimeSpan.FromSeconds(30) };
        var token = (await (await client.PostAsJsonAsync("/api/dev/token", new { userId })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    /// <summary>kill -9.</summary>
    public static void Kill(Process process) => process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes.Where(p => !p.HasExited))
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        _processes.ForEach(p => p.Dispose());
        await Redis.DisposeAsync();
    }

    private Process Run(string dll, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [dll, "--Storage:Redis=" + Redis.ConnectionString, "--Silo:Clustering=Redis",
            "--Silo:ClusterId=chaos", "--Logging:LogLevel:Default=Warning", .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
        return process;
    }

    private static async Task WaitUntilServing(Uri node)
    {
        using var client = new HttpClient { BaseAddress = node, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            try
            {
                // Ready means: the HTTP server answers and the Orleans client reaches a silo (an execution starts).
                var token = (await (await client.PostAsJsonAsync("/api/dev/token", new { userId = "probe" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
                using var request = new HttpRequestMessage(HttpMethod.Get, "/api/agent/executions") { Headers = { Authorization = new("Bearer", token) } };
                if ((await client.SendAsync(request)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException or InvalidOperationException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"API node {node} did not start serving.");
            }

            await Task.Delay(250);
        }
    }
}
