using System.Net.Http.Json;
using Microsoft.Extensions.Options;

namespace Orleans.Agent.Tests;

/// <summary>What changes outside Development (no dev tokens, a signing key is required), and settings that stop start-up.</summary>
public sealed class EnvironmentTests
{
    private const string ProductionKey = "a-production-key-for-tests-only-0123456789";

    [Fact]
    public async Task The_dev_token_endpoint_is_404_outside_development()
    {
        await using var server = await ApiServer.Start("Production", $"--Auth:SigningKey={ProductionKey}");
        using var client = server.Anonymous();

        var response = await client.PostAsJsonAsync("/api/dev/token", new { userId = "alice" });

        await response.AssertProblem(404);
    }

    [Theory]
    [InlineData("--Model:Provider=claude", "Model:Provider")]
    [InlineData("--Model:Provider=openai", "Model:Models")]
    [InlineData("--Model:MaxIterations=0", "MaxIterations")]
    public async Task Invalid_model_options_stop_start_up_naming_the_key(string setting, string key)
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => ApiServer.Start("Development", setting));

        Assert.Contains(key, failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Metrics:AllowedNetworks:0=everyone", "Metrics:AllowedNetworks")]
    [InlineData("--Metrics:Port=70000", "Port")]
    [InlineData("--Metrics:PrometheusPath=metrics", "Metrics:PrometheusPath")]
    public async Task Invalid_metrics_options_stop_start_up_naming_the_key(string setting, string key)
    {
        var failure = await Assert.ThrowsAsync<System.ComponentModel.DataAnnotations.ValidationException>(() => ApiServer.Start("Development", setting));

        Assert.Contains(key, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_without_a_signing_key_refuses_to_start_and_says_why()
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => ApiServer.Start("Production"));

        Assert.Contains("Auth:SigningKey", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_api_node_joining_a_cluster_on_an_unreachable_storage_account_stops_start_up_naming_the_key()
    {
        var account = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AzuriteServer.AccountKey};"
            + $"BlobEndpoint=http://127.0.0.1:{FreePorts.Next()}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{FreePorts.Next()}/devstoreaccount1;";

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => ApiServer.Start(
            "Development", "--Hosting:Mode=Client", "--Silo:Clustering=AzureStorage", "--Storage:Provider=AzureStorage",
            $"--Storage:AzureStorage:ConnectionString={account}").WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Contains("The Azure Storage account named by Storage:AzureStorage:ConnectionString cannot be used: Connection refused", failure.Message, StringComparison.Ordinal);
    }
}
