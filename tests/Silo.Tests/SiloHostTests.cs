using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Agent.Executions;
using Orleans.Agent.Silo;

namespace Orleans.Agent.Tests;

public sealed class SiloHostTests
{
    [Fact]
    public async Task The_standalone_silo_starts_runs_an_execution_to_completion_and_stops()
    {
        using var host = SiloHost.Build(
        [
            $"--Silo:SiloPort={FreePorts.Next()}",
            $"--Silo:GatewayPort={FreePorts.Next()}",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await host.StartAsync();
        var grain = host.Services.GetRequiredService<IGrainFactory>().GetGrain<IExecutionGrain>(Guid.NewGuid().ToString("N"));
        var workload = JsonSerializer.SerializeToElement(new { workload = new { phases = 2, steps = 3, delayMs = 0, thoughtBytes = 8 } });

        await grain.Start("alice", new ExecutionRequest("synthetic", workload));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        ExecutionSnapshot snapshot;
        while ((snapshot = (await grain.GetSnapshot("alice"))!).Status != ExecutionStatus.Completed)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Still {snapshot.Status} at the deadline.");
            await Task.Delay(10);
        }

        Assert.Equal(3 + 2 * (2 + 3 * 3), snapshot.LastSequence);
        await host.StopAsync();
    }

    [Fact]
    public void Invalid_silo_options_fail_at_start_up_naming_the_section()
    {
        var failure = Assert.Throws<System.ComponentModel.DataAnnotations.ValidationException>(
            () => SiloHost.Build(["--Silo:SiloPort=0"]));

        Assert.Contains("'Silo'", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_redis_connection_string_fails_at_start_up_without_quoting_any_of_it()
    {
        // A password with a comma splits into a bogus option; the parser would name it, and with it half the password.
        var failure = Assert.Throws<System.ComponentModel.DataAnnotations.ValidationException>(
            () => SiloHost.Build(["--Storage:Redis=127.0.0.1:6379,password=first-half,second-half=secret"]));

        Assert.Contains("Storage:Redis is not a StackExchange.Redis connection string", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("half", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_redis_ca_file_fails_at_start_up_naming_the_key()
    {
        var failure = Assert.Throws<System.ComponentModel.DataAnnotations.ValidationException>(
            () => SiloHost.Build(["--Storage:Redis=127.0.0.1:6379,ssl=true", "--Storage:RedisCaFile=/nonexistent/ca.crt"]));

        Assert.Contains("Storage:RedisCaFile names a file that does not exist", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_azure_storage_connection_string_fails_at_start_up_without_quoting_any_of_it()
    {
        var failure = Assert.Throws<System.ComponentModel.DataAnnotations.ValidationException>(
            () => SiloHost.Build(["--Storage:Provider=AzureStorage", "--Storage:AzureStorage:ConnectionString=AccountKey=half-a-secret;nonsense"]));

        Assert.Contains("Storage:AzureStorage:ConnectionString is not an Azure Storage connection string", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Azure_storage_without_an_account_fails_at_start_up_naming_the_keys()
    {
        var failure = Assert.Throws<System.ComponentModel.DataAnnotations.ValidationException>(() => SiloHost.Build(["--Storage:Provider=AzureStorage"]));

        Assert.Contains("Storage:AzureStorage:ConnectionString, or both Storage:AzureStorage:TableServiceUri and Storage:AzureStorage:BlobServiceUri", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cluster_on_a_store_that_cannot_hold_its_membership_fails_at_start_up()
    {
        var memory = Assert.Throws<InvalidOperationException>(() => SiloHost.Build(["--Silo:Clustering=AzureStorage"]));
        var mismatch = Assert.Throws<InvalidOperationException>(
            () => SiloHost.Build(["--Silo:Clustering=AzureStorage", "--Storage:Redis=127.0.0.1:6379"]));

        Assert.Contains("needs a store the silos share: Storage:Provider=Redis or AzureStorage", memory.Message, StringComparison.Ordinal);
        Assert.Contains("Silo:Clustering=AzureStorage needs Storage:Provider=AzureStorage", mismatch.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_storage_account_stops_start_up_in_seconds_naming_the_key()
    {
        // Azurite's account on loopback ports where nothing listens.
        var account = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AzuriteServer.AccountKey};"
            + $"BlobEndpoint=http://127.0.0.1:{FreePorts.Next()}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{FreePorts.Next()}/devstoreaccount1;";
        using var host = SiloHost.Build(
        [
            "--Storage:Provider=AzureStorage", $"--Storage:AzureStorage:ConnectionString={account}",
            $"--Silo:SiloPort={FreePorts.Next()}", $"--Silo:GatewayPort={FreePorts.Next()}", "--Logging:LogLevel:Default=None",
        ]);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync().WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Contains("The Azure Storage account named by Storage:AzureStorage:ConnectionString cannot be used: Connection refused", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(AzuriteServer.AccountKey, failure.Message, StringComparison.Ordinal);
    }
}
