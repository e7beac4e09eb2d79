using System.Security.Cryptography;
using Orleans.Agent.Grains.Hosting;
using Orleans.Agent.Grains.Storage;
using YamlDotNet.RepresentationModel;

namespace Orleans.Agent.Tests;

/// <summary>
/// A cluster locked as deploy/compose.yaml locks it: mutual TLS between silos and API nodes (certificates from
/// deploy/cluster-certs.sh) and Redis with the compose file's own ACL (no default user; one user of least privilege).
/// </summary>
public sealed class ClusterLocks : IDisposable
{
    public const string RedisUser = "orleans-agent";

    private ClusterLocks(ClusterCertificateFiles certificates, string redisPassword, string aclFile, bool redisTls)
    {
        Certificates = certificates;
        RedisPassword = redisPassword;
        AclFile = aclFile;
        RedisTls = redisTls ? new RedisTls(certificates.Certificate("redis"), certificates.Key("redis"), certificates.Ca) : null;
    }

    public ClusterCertificateFiles Certificates { get; }

    public string RedisPassword { get; }

    /// <summary>redis-server's <c>--aclfile</c>: the compose file's ACL with this test's password.</summary>
    public string AclFile { get; }

    /// <summary>Redis serves TLS only (a certificate of the cluster CA), when the locks were made with <c>redisTls</c>.</summary>
    public RedisTls? RedisTls { get; }

    public static async Task<ClusterLocks> Make(bool redisTls = false)
    {
        var certificates = await ClusterCertificateFiles.Make(redisTls ? ["silo", "api", "redis"] : ["silo", "api"]);
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        var aclFile = Path.Combine(certificates.Folder, "users.acl");
        await File.WriteAllTextAsync(aclFile, DeployedRedisAcl().Replace("${REDIS_PASSWORD:?set REDIS_PASSWORD}", password, StringComparison.Ordinal));
        return new ClusterLocks(certificates, password, aclFile, redisTls);
    }

    /// <summary>The <c>ClusterTls</c> options of a member in <paramref name="role"/> with <paramref name="files"/>' certificates.</summary>
    public static ClusterTlsOptions TlsOptions(ClusterCertificateFiles files, string role, TimeSpan? reloadInterval = null) => new()
    {
        Enabled = true,
        CertificateFile = files.Certificate(role),
        KeyFile = files.Key(role),
        CaFile = files.Ca,
        ReloadInterval = reloadInterval ?? TimeSpan.FromMinutes(1),
    };

    public string RedisConnectionString(RedisServer redis) =>
        $"{redis.ConnectionString},user={RedisUser},password={RedisPassword}" + (RedisTls is null ? "" : ",ssl=true,sslHost=orleans-agent-redis");

    /// <summary>What every process adds to reach the store: the CA of a TLS Redis.</summary>
    public string[] StoreSettings => RedisTls is null ? [] : [$"--Storage:RedisCaFile={RedisTls.CaFile}"];

    /// <summary>The product's own reading of the store settings, for clients in the test process.</summary>
    public StorageOptions Storage(RedisServer redis) => new() { Redis = RedisConnectionString(redis), RedisCaFile = RedisTls?.CaFile ?? "" };

    /// <summary>The Redis ACL that deploy/compose.yaml gives its redis service (<c>configs: redis-acl</c>).</summary>
    public static string DeployedRedisAcl()
    {
        var yaml = new YamlStream();
        using (var reader = File.OpenText(Path.Combine(TestPaths.RepositoryRoot, "deploy", "compose.yaml")))
        {
            yaml.Load(reader);
        }

        var configs = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode).Children[new YamlScalarNode("configs")];
        var acl = (YamlMappingNode)configs.Children[new YamlScalarNode("redis-acl")];
        return ((YamlScalarNode)acl.Children[new YamlScalarNode("content")]).Value!;
    }

    public void Dispose() => Certificates.Dispose();
}
