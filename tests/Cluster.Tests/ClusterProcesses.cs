using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Agent.Grains.Hosting;
using Orleans.Agent.Grains.Storage;
using Orleans.Agent.Grains.Storage.Azure;

namespace Orleans.Agent.Tests;

/// <summary>
/// A real cluster on loopback: its store (redis-server, or Azurite for Azure Storage), silo processes and API-node
/// processes (Hosting:Mode=Client), started from their build outputs exactly as deploy/local-cluster.sh starts them.
/// </summary>
public sealed class ClusterProcesses : IAsyncDisposable
{
    /// <summary>Starts with the deployed ACL's key prefix, so a locked Redis lets the cluster write its directory.</summary>
    private const string ClusterId = "orleans-agent-chaos";

    private readonly List<Process> _processes = [];
    private readonly ClusterSetup _setup;

    private readonly RedisServer? _redis;
    private readonly AzuriteServer? _azurite;

    private ClusterProcesses(RedisServer? redis, AzuriteServer? azurite, ClusterSetup setup)
    {
        _redis = redis;
        _azurite = azurite;
        _setup = setup;
    }

    /// <summary>The cluster's store on <c>Store=Redis</c>.</summary>
    public RedisServer Redis => _redis ?? throw new InvalidOperationException("This cluster is on Azure Storage, not Redis.");

    /// <summary>The cluster's store on <c>Store=AzureStorage</c>.</summary>
    public AzuriteServer Azurite => _azurite ?? throw new InvalidOperationException("This cluster is on Redis, not Azure Storage.");

    /// <summary>What the store's clients connect with: the locked cluster's user and password when it is locked.</summary>
    public string RedisConnectionString => _setup.Locks?.RedisConnectionString(Redis) ?? Redis.ConnectionString;

    /// <summary>Pauses (SIGSTOP) whichever store the cluster is on.</summary>
    public Task PauseStore() => _redis?.Pause() ?? Azurite.Pause();

    public Task ResumeStore() => _redis?.Resume() ?? Azurite.Resume();

    /// <summary>Every line every process of the cluster wrote to stdout or stderr.</summary>
    public ConcurrentQueue<string> Output { get; } = new();

    public List<Process> Silos { get; } = [];

    /// <summary>Each silo's silo-to-silo port, in the order of <see cref="Silos"/> (the port of its Orleans address).</summary>
    public List<int> SiloPorts { get; } = [];

    /// <summary>Each silo's gateway port (where API nodes connect), in the order of <see cref="Silos"/>.</summary>
    public List<int> GatewayPorts { get; } = [];

    public List<(Process Process, Uri Url)> ApiNodes { get; } = [];

    /// <param name="apiSettings">Configuration for every API node beyond the defaults (limits lifted for load).</param>
    public static Task<ClusterProcesses> Start(int silos, int apiNodes, params string[] apiSettings) =>
        Start(new ClusterSetup(silos, apiNodes) { ApiSettings = apiSettings });

    public static async Task<ClusterProcesses> Start(ClusterSetup setup)
    {
        var (silos, apiNodes, apiSettings) = (setup.Silos, setup.ApiNodes, setup.ApiSettings);
        var cluster = setup.Store == DurableStore.AzureStorage
            ? new ClusterProcesses(null, await AzuriteServer.Start(), setup)
            : new ClusterProcesses(await RedisServer.Start(aclFile: setup.Locks?.AclFile, tls: setup.Locks?.RedisTls), null, setup);
        try
        {
            for (var i = 0; i < silos; i++)
            {
                cluster.SiloPorts.Add(0);
                cluster.GatewayPorts.Add(0);
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
    /// On a locked cluster it presents the API nodes' certificate unless <paramref name="tls"/> says otherwise.
    /// </summary>
    public async Task<IHost> ConnectClient(ClusterTlsOptions? tls = null)
    {
        var host = CreateClient(tls);
        await host.StartAsync();
        return host;
    }

    /// <summary>A client of this cluster, not started; its log lines (Warning and above) go to <paramref name="log"/> too.</summary>
    public IHost CreateClient(ClusterTlsOptions? tls = null, ConcurrentQueue<string>? log = null)
    {
        tls ??= _setup.Locks is { } locks ? ClusterLocks.TlsOptions(locks.Certificates, "api") : new ClusterTlsOptions();
        return Host.CreateDefaultBuilder()
            .UseOrleansClient(client => UseMembership(client)
                .UseClusterTls(tls)
                .Configure<Orleans.Configuration.ClusterOptions>(o =>
                {
                    o.ClusterId = ClusterId;
                    o.ServiceId = new Orleans.Agent.Grains.Hosting.AgentSiloOptions().ServiceId;
                }))
            .ConfigureLogging(logging =>
            {
                logging.SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Warning);
                if (log is not null)
                {
                    logging.AddProvider(new QueueLoggerProvider(log));
                }
            })
            .Build();
    }

    private IClientBuilder UseMembership(IClientBuilder client)
    {
        if (_azurite is null)
        {
            return client.UseRedisClustering(o => o.ConfigurationOptions = (_setup.Locks?.Storage(Redis) ?? new StorageOptions { Redis = Redis.ConnectionString }).RedisConfiguration());
        }

        var azure = new AzureStorageClients(new StorageOptions { Provider = DurableStore.AzureStorage, AzureStorage = { ConnectionString = _azurite.ConnectionString } });
        return client.UseAzureStorageClustering(azure.ForMembership);
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
        GatewayPorts[index] = FreePorts.Next();
        Silos[index] = StartSilo(SiloPorts[index], GatewayPorts[index], [.. _setup.Locks?.Certificates.Settings("silo") ?? [], .. _setup.SiloSettings]);
    }

    /// <summary>A silo process joining this cluster, with <paramref name="settings"/> instead of the cluster's TLS settings.</summary>
    public Process StartSilo(int siloPort, int gatewayPort, params string[] settings) =>
        Run(TestPaths.BuildOutput("src/Silo", "Orleans.Agent.Silo.dll"), [$"--Silo:SiloPort={siloPort}", $"--Silo:GatewayPort={gatewayPort}", .. settings]);

    /// <summary>kill -9 of API node <paramref name="index"/>, then the node again on the same address, serving.</summary>
    public async Task RestartApiNode(int index)
    {
        Kill(ApiNodes[index].Process);
        await ApiNodes[index].Process.WaitForExitAsync();
        StartApiNode(index, _setup.ApiSettings, ApiNodes[index].Url);
        await WaitUntilServing(index, _setup.ApiSettings);
    }

    private void StartApiNode(int index, string[] apiSettings, Uri? at = null)
    {
        var url = at ?? new Uri($"http://127.0.0.1:{FreePorts.Next()}");
        var process = Run(TestPaths.BuildOutput("src/Api", "Orleans.Agent.Api.dll"),
        [
            "--urls", url.ToString(), "--Hosting:Mode=Client", "--environment", "Development",
            "--contentRoot", Path.Combine(TestPaths.RepositoryRoot, "src", "Api"),
            "--Limits:ExecutionsPerMinutePerUser=100000", "--Limits:StreamsPerUser=10000",
            .. _setup.Locks?.Certificates.Settings("api") ?? [], .. apiSettings,
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
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }

    private Process Run(string dll, params string[] args)
    {
        string[] store = _azurite is null
            ? ["--Storage:Redis=" + RedisConnectionString, "--Silo:Clustering=Redis", .. _setup.Locks?.StoreSettings ?? []]
            : ["--Storage:Provider=AzureStorage", "--Storage:AzureStorage:ConnectionString=" + _azurite.ConnectionString, "--Silo:Clustering=AzureStorage"];
        var start = new ProcessStartInfo("dotnet", [dll, .. store, $"--Silo:ClusterId={ClusterId}", "--Logging:LogLevel:Default=Warning", .. _setup.Settings, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
        return process;
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            Output.Enqueue(line);
        }
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

/// <summary>What <see cref="ClusterProcesses.Start(ClusterSetup)"/> starts.</summary>
/// <param name="Silos">Silo processes.</param>
/// <param name="ApiNodes">API-node processes (Orleans clients of the silos).</param>
public sealed record ClusterSetup(int Silos, int ApiNodes)
{
    /// <summary>The store of state, logs, reminders and membership: <c>Redis</c> or <c>AzureStorage</c> (on Azurite).</summary>
    public string Store { get; init; } = DurableStore.Redis;

    /// <summary>Mutual TLS and a locked Redis, as deployed; null: an open cluster, as the local defaults.</summary>
    public ClusterLocks? Locks { get; init; }

    /// <summary>Configuration of every API node beyond the defaults (limits lifted for load).</summary>
    public string[] ApiSettings { get; init; } = [];

    /// <summary>Configuration of every silo beyond the defaults.</summary>
    public string[] SiloSettings { get; init; } = [];

    /// <summary>Configuration of every process (silos and API nodes), after the defaults.</summary>
    public string[] Settings { get; init; } = [];
}

/// <summary>Writes every log message (category: message) to a queue the test reads.</summary>
internal sealed class QueueLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new QueueLogger(categoryName, lines);

    public void Dispose()
    {
    }

    private sealed class QueueLogger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{category}: {formatter(state, exception)}");
    }
}
