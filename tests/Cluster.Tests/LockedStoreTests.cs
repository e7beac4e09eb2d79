using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Orleans.Agent.Grains.Hosting;

namespace Orleans.Agent.Tests;

/// <summary>
/// Redis locked as deployed (deploy/compose.yaml's ACL: no default user, one user of least privilege) and served over
/// TLS only: whoever lacks the product's user gets nothing, the product's user only its own keys and data commands,
/// and the product works through it.
/// </summary>
public sealed class LockedStoreTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_locked_store_refuses_everyone_but_the_products_user_who_gets_only_its_keys_and_the_product_works_through_it()
    {
        using var locks = await ClusterLocks.Make(redisTls: true);
        await using var cluster = await ClusterProcesses.Start(new ClusterSetup(Silos: 1, ApiNodes: 1) { Locks = locks });
        using var api = await ClusterProcesses.SignIn(cluster.ApiNodes[0].Url, "alice");
        var id = (await ClusterRuns.Start(api, count: 1, phases: 2, steps: 3, delayMs: 10))[0];
        var run = await SseFollower.Follow(id, [api], Deadline);
        Assert.Equal(Enumerable.Range(1, 3 + 2 * (2 + 3 * 3)).Select(i => i.ToString(CultureInfo.InvariantCulture)), run.Ids);

        await using (var anonymous = await Resp.Connect(cluster.Redis, locks))
        {
            Assert.StartsWith("-NOAUTH", await anonymous.Send("PING"), StringComparison.Ordinal);
            Assert.StartsWith("-WRONGPASS", await anonymous.Send("AUTH", "default", "anything"), StringComparison.Ordinal);
            Assert.StartsWith("-WRONGPASS", await anonymous.Send("AUTH", ClusterLocks.RedisUser, "not-the-password"), StringComparison.Ordinal);
            Assert.StartsWith("-NOAUTH", await anonymous.Send("GET", $"orleans-agent:log:{id}"), StringComparison.Ordinal);
        }

        await using (var product = await Resp.Connect(cluster.Redis, locks))
        {
            Assert.Equal("+OK", await product.Send("AUTH", ClusterLocks.RedisUser, locks.RedisPassword));
            Assert.Equal(":1", await product.Send("EXISTS", $"orleans-agent:log:{id}")); // the run is in the store
            foreach (var denied in new[] { new[] { "FLUSHALL" }, ["KEYS", "*"], ["CONFIG", "GET", "requirepass"], ["ACL", "LIST"], ["MONITOR"], ["GET", "another-app:secret"] })
            {
                Assert.StartsWith("-NOPERM", await product.Send(denied), StringComparison.Ordinal);
            }
        }

        // The TLS port speaks nothing else: a plain connection gets no answer but a closed socket.
        using var plain = new TcpClient();
        await plain.ConnectAsync("127.0.0.1", cluster.Redis.Port);
        var stream = plain.GetStream();
        await stream.WriteAsync("PING\r\n"u8.ToArray());
        var buffer = new byte[64];
        var read = await ReadOrClosed(stream, buffer).WaitAsync(Deadline);
        Assert.DoesNotContain("PONG", Encoding.ASCII.GetString(buffer, 0, read), StringComparison.Ordinal);
    }

    private static async Task<int> ReadOrClosed(NetworkStream stream, byte[] buffer)
    {
        try
        {
            return await stream.ReadAsync(buffer);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>One RESP connection over TLS (trusting the cluster CA): sends a command, returns the reply's first line.</summary>
    private sealed class Resp : IAsyncDisposable
    {
        private readonly TcpClient _tcp;
        private readonly SslStream _tls;
        private readonly StreamReader _reader;

        private Resp(TcpClient tcp, SslStream tls)
        {
            _tcp = tcp;
            _tls = tls;
            _reader = new StreamReader(tls, Encoding.UTF8);
        }

        public static async Task<Resp> Connect(RedisServer redis, ClusterLocks locks)
        {
            var tcp = new TcpClient();
            await tcp.ConnectAsync("127.0.0.1", redis.Port);
            // Redis' certificate is one of the cluster CA's: the product's own check of a cluster peer decides.
            var cluster = new ClusterCertificates(ClusterLocks.TlsOptions(locks.Certificates, "redis"));
            var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false,
                (_, certificate, _, _) => certificate is not null && cluster.IsTrusted(new X509Certificate2(certificate)));
            await tls.AuthenticateAsClientAsync("orleans-agent-redis");
            return new Resp(tcp, tls);
        }

        public async Task<string> Send(params string[] command)
        {
            var request = new StringBuilder($"*{command.Length}\r\n");
            foreach (var part in command)
            {
                request.Append(CultureInfo.InvariantCulture, $"${Encoding.UTF8.GetByteCount(part)}\r\n{part}\r\n");
            }

            await _tls.WriteAsync(Encoding.UTF8.GetBytes(request.ToString()));
            return await _reader.ReadLineAsync().WaitAsync(Deadline) ?? "(closed)";
        }

        public async ValueTask DisposeAsync()
        {
            _reader.Dispose();
            await _tls.DisposeAsync();
            _tcp.Dispose();
        }
    }
}
