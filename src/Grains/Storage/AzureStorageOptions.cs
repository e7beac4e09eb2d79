using System.ComponentModel.DataAnnotations;
using Azure.Data.Tables;
using Azure.Storage.Blobs;

namespace Orleans.Agent.Grains.Storage;

/// <summary>
/// Section <c>Storage:AzureStorage</c>: the storage account of <c>Storage:Provider=AzureStorage</c>. Either a
/// connection string (shared key, SAS, or Azurite's), or the account's table and blob service URIs with Entra ID
/// (<c>DefaultAzureCredential</c>: a managed identity in production, the developer's sign-in on a laptop).
/// </summary>
public sealed class AzureStorageOptions
{
    /// <summary>An Azure Storage connection string. Carries the account key: set it from a secret store, never in a file.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>The table service URI (e.g. <c>https://account.table.core.windows.net</c>), used with Entra ID when no connection string is set.</summary>
    public Uri? TableServiceUri { get; set; }

    /// <summary>The blob service URI (e.g. <c>https://account.blob.core.windows.net</c>), used with Entra ID when no connection string is set.</summary>
    public Uri? BlobServiceUri { get; set; }

    /// <summary>
    /// How long one table request may take before it is abandoned (and retried once): a stalled account is an outage
    /// that grain state and reminders hear of within about twice this (under the 5 s a grain call waits on a store),
    /// not a hang. A healthy table answers in milliseconds. Blob requests (artifacts of megabytes) get 30 s at least;
    /// the event log and index bound each of their calls to 5 s in all, as the Redis client does.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:05:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How often finished logs past <c>Storage:RetainCompletedFor</c> are removed (Tables have no time-to-live): a log
    /// outlives its time by up to this much. At least a minute (Orleans' shortest reminder).
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan ExpirySweepPeriod { get; set; } = TimeSpan.FromMinutes(10);

    public bool UsesConnectionString => !string.IsNullOrWhiteSpace(ConnectionString);

    internal IEnumerable<ValidationResult> Validate()
    {
        var annotations = new List<ValidationResult>();
        Validator.TryValidateObject(this, new ValidationContext(this), annotations, validateAllProperties: true);
        foreach (var result in annotations)
        {
            yield return new ValidationResult("Storage:AzureStorage: " + result.ErrorMessage, result.MemberNames);
        }

        if (UsesConnectionString)
        {
            if (TableServiceUri is not null || BlobServiceUri is not null)
            {
                yield return new ValidationResult(
                    "Storage:AzureStorage: set either ConnectionString or TableServiceUri and BlobServiceUri (Entra ID), not both.");
            }

            string? problem = null;
            try
            {
                _ = new TableServiceClient(ConnectionString);
                _ = new BlobServiceClient(ConnectionString);
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
            {
                // Not the parser's message: it can quote the account key.
                problem = "Storage:AzureStorage:ConnectionString is not an Azure Storage connection string "
                    + "(AccountName=...;AccountKey=...;TableEndpoint=...;BlobEndpoint=... or UseDevelopmentStorage=true).";
            }

            if (problem is not null)
            {
                yield return new ValidationResult(problem, [nameof(ConnectionString)]);
            }
        }
        else if (TableServiceUri is null || BlobServiceUri is null)
        {
            yield return new ValidationResult(
                "Storage:Provider=AzureStorage needs Storage:AzureStorage:ConnectionString, or both Storage:AzureStorage:TableServiceUri and Storage:AzureStorage:BlobServiceUri (Entra ID).");
        }
        else if (!TableServiceUri.IsAbsoluteUri || !BlobServiceUri.IsAbsoluteUri)
        {
            yield return new ValidationResult("Storage:AzureStorage:TableServiceUri and BlobServiceUri must be absolute URIs.");
        }
    }
}
