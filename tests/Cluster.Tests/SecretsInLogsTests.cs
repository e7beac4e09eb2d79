using System.Security.Cryptography;

namespace Orleans.Agent.Tests;

/// <summary>A locked cluster's secrets never reach its logs, with every category at Trace and on the error paths too.</summary>
public sealed class SecretsInLogsTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    /// <summary>Every category the shipped appsettings files set, and the default, at Trace.</summary>
    private static readonly string[] Trace =
        [.. new[] { "Default", "Microsoft", "Microsoft.AspNetCore", "Orleans", "Orleans.Agent", "Polly", "System" }.Select(c => $"--Logging:LogLevel:{c}=Trace")];

    [Fact]
    public async Task No_secret_of_a_locked_cluster_reaches_its_logs_at_trace()
    {
        using var locks = await ClusterLocks.Make(redisTls: true);
        var signingKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        await using var cluster = await ClusterProcesses.Start(new ClusterSetup(Silos: 1, ApiNodes: 1)
        {
            Locks = locks,
            Settings = Trace,
            ApiSettings = [$"--Auth:SigningKey={signingKey}"],
        });
        using var api = await ClusterProcesses.SignIn(cluster.ApiNodes[0].Url, "alice");
        var id = (await ClusterRuns.Start(api, count: 1, phases: 1, steps: 2, delayMs: 10))[0];
        Assert.Equal(3 + 1 * (2 + 3 * 2), (await SseFollower.Follow(id, [api], Deadline)).Ids.Count());

        // The error path: a silo whose password Redis refuses fails to start and says why, without the password.
        var wrongPassword = "wrong-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var refused = cluster.StartSilo(FreePorts.Next(), FreePorts.Next(),
            [.. locks.Certificates.Settings("silo"), $"--Storage:Redis={locks.RedisConnectionString(cluster.Redis).Replace(locks.RedisPassword, wrongPassword, StringComparison.Ordinal)}"]);
        await refused.WaitForExitAsync().WaitAsync(Deadline);
        Assert.NotEqual(0, refused.ExitCode);

        var output = string.Join('\n', cluster.Output);
        Assert.Contains("trce: Orleans", output, StringComparison.Ordinal); // the framework's categories really wrote at Trace
        Assert.Contains("trce: Microsoft.AspNetCore", output, StringComparison.Ordinal);
        Assert.Contains("WRONGPASS", output, StringComparison.Ordinal); // the refused silo said why
        var keyLines = new[] { "silo", "api", "redis" }.SelectMany(role => File.ReadLines(locks.Certificates.Key(role))).Where(l => !l.StartsWith("-----", StringComparison.Ordinal));
        foreach (var secret in new[] { locks.RedisPassword, wrongPassword, signingKey }.Concat(keyLines))
        {
            Assert.False(output.Contains(secret, StringComparison.Ordinal), $"A secret reached the logs ({secret[..6]}...).");
        }
    }

    [Fact]
    public async Task The_storage_account_key_of_a_cluster_on_azure_storage_never_reaches_its_logs_at_trace()
    {
        await using var cluster = await ClusterProcesses.Start(new ClusterSetup(Silos: 1, ApiNodes: 1) { Store = DurableStore.AzureStorage, Settings = Trace });
        using var api = await ClusterProcesses.SignIn(cluster.ApiNodes[0].Url, "alice");
        var id = (await ClusterRuns.Start(api, count: 1, phases: 1, steps: 2, delayMs: 10))[0];
        Assert.Equal(3 + 1 * (2 + 3 * 2), (await SseFollower.Follow(id, [api], Deadline)).Ids.Count());

        // The error path: a silo with a key the account refuses stops at start-up, naming the setting, not the key.
        var wrongKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));
        var refused = cluster.StartSilo(FreePorts.Next(), FreePorts.Next(),
            $"--Storage:AzureStorage:ConnectionString={cluster.Azurite.ConnectionString.Replace(AzuriteServer.AccountKey, wrongKey, StringComparison.Ordinal)}");
        await refused.WaitForExitAsync().WaitAsync(Deadline);
        Assert.NotEqual(0, refused.ExitCode);

        var output = string.Join('\n', cluster.Output);
        Assert.Contains("trce: Orleans", output, StringComparison.Ordinal);
        Assert.Contains("Storage:AzureStorage:ConnectionString cannot be used: it refused the credentials (403", output, StringComparison.Ordinal);
        foreach (var secret in new[] { AzuriteServer.AccountKey, wrongKey })
        {
            Assert.False(output.Contains(secret, StringComparison.Ordinal), $"A storage key reached the logs ({secret[..6]}...).");
        }
    }
}
