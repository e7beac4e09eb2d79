using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Orleans.Agent.Bench;

/// <summary>
/// The generator's HTTP side: one connection pool whose sockets are bound to 127.0.0.2 ... 127.0.0.254 in turn, so
/// that one machine can open tens of thousands of connections to one server port without running out of
/// (source address, source port) pairs; and bearer tokens for a set of users, signed with the server's key.
/// </summary>
internal sealed class LoadClient : IDisposable
{
    /// <summary>Linux IP_BIND_ADDRESS_NO_PORT: pick the source port at connect time, per source address.</summary>
    private const int BindAddressNoPort = 24;

    private const int SourceAddresses = 253;
    private static int s_nextSource;
    private readonly string[] _tokens;

    private static long s_bytesReceived;

    /// <param name="server">The server's base address.</param>
    /// <param name="users">How many users the executions are spread over (a token each).</param>
    /// <param name="encoding">What to accept (Accept-Encoding) and decompress; None asks for the stream as written.</param>
    public LoadClient(Uri server, int users, DecompressionMethods encoding = DecompressionMethods.None)
    {
        var handler = new SocketsHttpHandler
        {
            AutomaticDecompression = encoding,
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            ConnectTimeout = TimeSpan.FromSeconds(30),
            ConnectCallback = Connect,
        };
        Http = new HttpClient(handler) { BaseAddress = server, Timeout = Timeout.InfiniteTimeSpan };
        var key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(ServerProcess.SigningKey));
        _tokens = [.. Enumerable.Range(0, users).Select(u => Token($"load-user-{u}", key))];
    }

    public HttpClient Http { get; }

    /// <summary>Bytes every client of this process read off its sockets so far: what went over the wire.</summary>
    public static long BytesReceived => Interlocked.Read(ref s_bytesReceived);

    /// <summary>The bearer token of the user that owns execution number <paramref name="index"/>.</summary>
    public AuthenticationHeaderValue Bearer(int index) => new("Bearer", _tokens[index % _tokens.Length]);

    /// <summary>POST /api/agent/execute with the workload; the execution id.</summary>
    public async Task<string> Start(int index, Workload workload, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/agent/execute")
        {
            Content = JsonContent.Create(new
            {
                task = "load",
                context = new
                {
                    workload = workload.DeltaChars == 0
                        ? (object)new { workload.Phases, workload.Steps, workload.DelayMs, workload.ThoughtBytes }
                        : new { workload.Phases, workload.Steps, workload.DelayMs, workload.ThoughtBytes, workload.DeltaChars, workload.DeltaDelayMs },
                },
            }, options: JsonSerializerOptions.Web),
        };
        request.Headers.Authorization = Bearer(index);
        using var response = await Http.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new HttpRequestException($"POST /api/agent/execute: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return body.GetProperty("executionId").GetString()!;
    }

    /// <summary>POST .../cancel: true when the server accepted it.</summary>
    public async Task<bool> Cancel(int index, string executionId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/agent/executions/{executionId}/cancel")
        {
            Content = JsonContent.Create(new { reason = "load test over" }),
        };
        request.Headers.Authorization = Bearer(index);
        using var response = await Http.SendAsync(request, cancellationToken);
        return response.StatusCode == HttpStatusCode.Accepted;
    }

    public void Dispose() => Http.Dispose();

    private static async ValueTask<Stream> Connect(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.SetRawSocketOption((int)SocketOptionLevel.IP, BindAddressNoPort, BitConverter.GetBytes(1));
            var source = 2 + (int)((uint)Interlocked.Increment(ref s_nextSource) % SourceAddresses);
            socket.Bind(new IPEndPoint(new IPAddress([127, 0, 0, (byte)source]), 0));
            await socket.ConnectAsync(IPAddress.Parse(context.DnsEndPoint.Host), context.DnsEndPoint.Port, cancellationToken);
            return new CountingStream(new NetworkStream(socket, ownsSocket: true));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static string Token(string user, SecurityKey key) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "orleans-agent",
        Audience = "orleans-agent",
        Subject = new ClaimsIdentity([new Claim(JwtRegisteredClaimNames.Sub, user)]),
        Expires = DateTime.UtcNow.AddHours(4),
        SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
    });

    /// <summary>A socket's stream that adds what it reads to <see cref="BytesReceived"/>.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Counted(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Counted(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.WriteAsync(buffer, offset, count, cancellationToken);

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private static int Counted(int read)
        {
            Interlocked.Add(ref s_bytesReceived, read);
            return read;
        }
    }
}
