using Orleans.Agent.Grains.Storage;
using Orleans.Agent.Grains.Storage.Azure;

namespace Orleans.Agent.Tests;

internal static class AzuriteClients
{
    /// <summary>The product's clients of Azurite's account, with the tables and container its stores write created, as a silo's start-up does.</summary>
    public static async Task<AzureStorageClients> ReadyClients(this AzuriteServer azurite)
    {
        var clients = new AzureStorageClients(new StorageOptions { Provider = StorageOptions.AzureStorageProvider, AzureStorage = { ConnectionString = azurite.ConnectionString } });
        await AzureStorageCheck.EnsureReady(clients, new AzureStorageOptions(), CancellationToken.None);
        return clients;
    }
}
