using System.Text;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;

namespace Orleans.Agent.Grains.Storage.Azure;

/// <summary>
/// The storage account of <c>Storage:Provider=AzureStorage</c>: one table and one blob client for every store of the
/// process (Orleans' providers included), and the names of what this deployment keeps in it, derived from
/// <c>Storage:KeyPrefix</c> so that deployments can share an account.
/// </summary>
public sealed class AzureStorageClients
{
    public AzureStorageClients(StorageOptions storage)
    {
        var azure = storage.AzureStorage;
        var tableOptions = new TableClientOptions();
        var blobOptions = new BlobClientOptions();
        Tune(tableOptions, azure.RequestTimeout);
        Tune(blobOptions, azure.RequestTimeout > BlobRequestTimeout ? azure.RequestTimeout : BlobRequestTimeout);
        if (azure.UsesConnectionString)
        {
            Tables = new TableServiceClient(azure.ConnectionString, tableOptions);
            Blobs = new BlobServiceClient(azure.ConnectionString, blobOptions);
        }
        else
        {
            var credential = new DefaultAzureCredential();
            Tables = new TableServiceClient(azure.TableServiceUri!, credential, tableOptions);
            Blobs = new BlobServiceClient(azure.BlobServiceUri!, credential, blobOptions);
        }

        var letters = new StringBuilder();
        foreach (var c in storage.KeyPrefix)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                letters.Append(char.ToLowerInvariant(c));
            }
        }

        // Table names are 3-63 letters and digits starting with a letter; container names lower-case letters, digits and hyphens.
        var stem = letters.Length > 40 ? letters.ToString(0, 40) : letters.ToString();
        _tableStem = stem.Length > 0 && char.IsAsciiLetter(stem[0]) ? stem : "t" + stem;
        ArtifactContainer = _tableStem + "-blobs";
    }

    private static readonly TimeSpan BlobRequestTimeout = TimeSpan.FromSeconds(30);

    private readonly string _tableStem;

    public TableServiceClient Tables { get; }

    public BlobServiceClient Blobs { get; }

    /// <summary>Execution event logs: a partition per execution, a row per appended batch.</summary>
    public string LogTable => _tableStem + "logs";

    /// <summary>The users' execution indexes: a partition per user.</summary>
    public string IndexTable => _tableStem + "index";

    /// <summary>When each finished log is due for removal (Tables have no time-to-live).</summary>
    public string ExpiryTable => _tableStem + "expiry";

    /// <summary>Orleans' grain state (executions, stream subscriptions).</summary>
    public string StateTable => _tableStem + "state";

    public string RemindersTable => _tableStem + "reminders";

    /// <summary>The cluster's membership table, shared by silos and API nodes.</summary>
    public string MembershipTable => _tableStem + "membership";

    /// <summary>Points Orleans' membership provider (a silo's, or an API node's gateway list) at this account's table.</summary>
    public void ForMembership(Orleans.Clustering.AzureStorage.AzureStorageOperationOptions options)
    {
        options.TableServiceClient = Tables;
        options.TableName = MembershipTable;
    }

    /// <summary>Artifacts and batches too large for a table row, named by execution.</summary>
    public string ArtifactContainer { get; }

    /// <summary>The tables and the container this product's own stores write (Orleans' providers create theirs).</summary>
    public IEnumerable<string> OwnTables => [LogTable, IndexTable, ExpiryTable];

    // A stalled account must look like an outage within seconds (the log appender retries on its own schedule), not
    // after the SDK's default of 100 s per attempt and four attempts.
    private static void Tune(ClientOptions options, TimeSpan requestTimeout)
    {
        options.Retry.MaxRetries = 1;
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        options.Retry.NetworkTimeout = requestTimeout;
    }
}
