using Azure;
using Azure.Identity;

namespace Orleans.Agent.Grains.Storage.Azure;

/// <summary>
/// Start-up's check of the storage account: creates the tables and the container this product's stores write, and
/// fails with a message that names the setting to fix when the account cannot be reached or refuses the credentials,
/// instead of Orleans' providers retrying their table creation for minutes.
/// </summary>
public static class AzureStorageCheck
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static async Task EnsureReady(AzureStorageClients clients, AzureStorageOptions options, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Deadline);
        try
        {
            foreach (var table in clients.OwnTables)
            {
                await clients.Tables.CreateTableIfNotExistsAsync(table, deadline.Token);
            }

            await clients.Blobs.GetBlobContainerClient(clients.ArtifactContainer).CreateIfNotExistsAsync(cancellationToken: deadline.Token);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested
            && ex is RequestFailedException or AggregateException or OperationCanceledException or AuthenticationFailedException)
        {
            var key = options.UsesConnectionString
                ? "Storage:AzureStorage:ConnectionString"
                : "Storage:AzureStorage:TableServiceUri and BlobServiceUri (with Entra ID credentials)";
            var why = ex is OperationCanceledException ? $"no answer within {Deadline.TotalSeconds:0} s" : FirstLine(ex);
            throw new InvalidOperationException(
                $"The Azure Storage account named by {key} cannot be used: {why}. Tables at {clients.Tables.Uri}, blobs at {clients.Blobs.Uri}.", ex);
        }
    }

    private static string FirstLine(Exception ex)
    {
        var inner = ex is AggregateException { InnerExceptions.Count: > 0 } aggregate ? aggregate.InnerExceptions[^1] : ex;
        if (inner is RequestFailedException { Status: > 0 } answered)
        {
            return answered.Status is 401 or 403
                ? $"it refused the credentials ({answered.Status} {answered.ErrorCode})"
                : $"it answered {answered.Status} {answered.ErrorCode}";
        }

        var message = inner.Message;
        var end = message.IndexOfAny(['\r', '\n']);
        return (end < 0 ? message : message[..end]).TrimEnd('.');
    }
}
