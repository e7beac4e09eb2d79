using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Orleans.Agent.Tests;

/// <summary>
/// A real cluster on loopback: redis-server, silo processes and API-node processes (Hosting:Mode=Client), started
/// from their build outputs exactly as deploy/local-cluster.sh starts them.
/// </summary>
public sealed class ClusterProcesses : IAsyncDisposable
{
    private const string ClusterId = "chaos";

    private readonly List<Process> _processes = [];

    private ClusterProcesses(RedisServer redis) => Redis = redis;

    public RedisServer Redis { get; }

    public List<Process> Silos { get; } = [];

    /// <summary>Each silo's silo-to-silo port, in the order of <see cref="Silos"/> (the port of its Orleans address).</summary>
    public List<int> SiloPorts { get; } = [];

    public List<(Process Process, Uri Url)> ApiNodes { get; } = [];

    /// <param name="apiSettings">Configuration for every API node beyond the defaults (limits lifted for load).</param>
    public static async Task<ClusterProcesses> Start(int silos, int apiNodes, params string[] apiSettings)
    {
        var cluster = new ClusterProcesses(await RedisServer.Start());
        try
        {
            for (var i = 0; i < silos; i++)
            {
                cluster.SiloPorts.Add(0);
                cluster.Silos.Add(null!);
                cluster.StartSilo(i);
            }

            // API nodes read the gateway list once at start (and then once a minute): start them when every silo is
            // in it, so that their requests, and the executions placed near them, spread over the silos.
            await cluster.WaitUntilActive(silos);
            for (var i = 0; i < apiNodes; i++)
            {
                cluster.ApiNodes.Add(default);
                cluster.StartApiNode(i, apiSettings);
            }

            for (var i = 0; i < apiNodes; i++)
            {
                await cluster.WaitUntilServing(i, apiSettings);
            }

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync(); // a node that never served must not outlive the test
            throw;
        }
    }

    /// <summary>A client of <paramref name="node"/> signed in as <paramref name="userId"/> (dev tokens work on every node: one key).</summary>
    public static async Task<HttpClient> SignIn(Uri node, string userId)
    {
        var client = new HttpClient { BaseAddress = node, Timeout = TimeSpan.FromSeconds(30) };
        var token = (await (await client.PostAsJsonAsync("/api/dev/token", new { userId })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    /// <summary>
    /// An Orleans client of this cluster in the test process, for what only the cluster knows (where each grain runs).
    /// </summary>
    public async Task<IHost> ConnectClient()
    {
        var host = Host.CreateDefaultBuilder()
            .UseOrleansClient(client => client
                .UseRedisClustering(o => o.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(Redis.ConnectionString))
                .Configure<Orleans.Configuration.ClusterOptions>(o =>
                {
                    o.ClusterId = ClusterId;
                    o.ServiceId = new Orleans.Agent.Grains.Hosting.AgentSiloOptions().ServiceId;
                }))
            .ConfigureLogging(logging => logging.SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Warning))
            .Build();
        await host.StartAsync();
        return host;
    }

    private async Task WaitUntilActive(int silos)
    {
        using var orleans = await ConnectClient();
        var management = orleans.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0);
        var deadline = DateTime.UtcNow.AddSeconds(90);
        var restarts = 0;
        while ((await management.GetHosts(onlyActive: true)).Count < silos)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{silos} silos did not become active ({restarts} restarted).");
            }

            // A silo that exited while starting lost a port to another process between the pick and the bind (a second
            // suite on the machine): start it again on new ports.
            for (var i = 0; i < Silos.Count; i++)
            {
                if (Silos[i].HasExited && restarts++ < 2 * silos)
                {
                    StartSilo(i);
                }
            }

            await Task.Delay(250);
        }

        await orleans.StopAsync();
    }

    private void StartSilo(int index)
    {
        SiloPorts[index] = FreePorts.Next();
        Silos[index] = Run(TestPaths.BuildOutput("src/Silo", "Orleans.Agent.Silo.dll"),
            $"--Silo:SiloPort={SiloPorts[index]}", $"--Silo:GatewayPort={FreePorts.Next()}");
    }

    private void StartApiNode(int index, string[] apiSettings)
    {
        var url = new Uri($"http://127.0.0.1:{FreePorts.Next()}");
        var process = Run(TestPaths.BuildOutput("src/Api", "Orleans.Agent.Api.dll"),
        [
            "--urls", url.ToString(), "--Hosting:Mode=Client", "--environment", "Development",
            "--contentRoot", Path.Combine(TestPaths.RepositoryRoot, "src", "Api"),
            "--Limits:ExecutionsPerMinutePerUser=100000", "--Limits:StreamsPerUser=10000", .. apiSettings,
        ]);
        ApiNodes[index] = (process, url);
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
            $"--Silo:ClusterId={ClusterId}", "--Logging:LogLevel:Default=Warning", .. args])
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

    private async Task WaitUntilServing(int index, string[] apiSettings)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        var restarts = 0;
        while (true)
        {
            if (ApiNodes[index].Process.HasExited && restarts++ < 2)
            {
                StartApiNode(index, apiSettings); // its port was taken before it bound it, as for a silo
            }

            var node = ApiNodes[index].Url;
            using var client = new HttpClient { BaseAddress = node, Timeout = TimeSpan.FromSeconds(5) };
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
