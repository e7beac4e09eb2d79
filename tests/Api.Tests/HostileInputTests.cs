using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using Orleans.Agent.Events;
using Xunit.Abstractions;

namespace Orleans.Agent.Tests;

/// <summary>
/// 10,000 generated hostile requests across every endpoint (seeded, so a failure can be replayed), then a normal
/// execution. Proves: no 5xx, the server stays healthy, and no response ever carries another user's data.
/// </summary>
public sealed class HostileInputTests(ITestOutputHelper output)
{
    public const int RequestCount = 10_000;
    private const int Concurrency = 16;
    private const int Seed = 20261124;

    [Fact]
    public async Task Ten_thousand_hostile_requests_get_no_5xx_leak_nothing_and_leave_the_server_healthy()
    {
        var workspaces = Path.Combine(Path.GetTempPath(), "orleans-agent-hostile-" + Guid.NewGuid().ToString("N"));
        await using var server = await ApiServer.Start(
            "Development", $"--Workspace:Root={workspaces}", "--Limits:ExecutionsPerMinutePerUser=60");
        try
        {
            using var alice = await server.SignIn("alice");
            using var mallory = await server.SignIn("mallory");
            var secret = "SECRET-" + Guid.NewGuid().ToString("N");
            var (aliceId, aliceStream) = await alice.Execute(new { task = $"Create a landing page for {secret}" });
            await alice.ReadStream(aliceStream);
            var (malloryId, _) = await mallory.Execute(new { task = "my own" });
            var streamToken = (await (await alice.PostAsync($"/api/agent/executions/{aliceId}/stream-token", null))
                .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
            var attack = new AttackGenerator(new Random(Seed), aliceId, malloryId, mallory.DefaultRequestHeaders.Authorization!.Parameter!, streamToken);

            var statuses = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
            var leaks = new System.Collections.Concurrent.ConcurrentQueue<string>();
            var requests = Enumerable.Range(0, RequestCount).Select(_ => attack.Next()).ToList();
            using var handler = new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.FromSeconds(30),
                MaxConnectionsPerServer = Concurrency,
                RequestHeaderEncodingSelector = (_, _) => Encoding.Latin1, // odd bytes in headers, as an attacker would send
            };
            using var client = new HttpClient(handler) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            var clock = Stopwatch.StartNew();

            await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (attempt, _) =>
            {
                var (status, body) = await Send(client, attempt);
                statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                if (body.Contains(secret, StringComparison.Ordinal))
                {
                    leaks.Enqueue($"{attempt.Description} -> {status}");
                }
            });
            clock.Stop();

            var figures = string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"));
            output.WriteLine($"{RequestCount} requests in {clock.Elapsed.TotalSeconds:F1} s ({RequestCount / clock.Elapsed.TotalSeconds:F0}/s), seed {Seed}; statuses {figures}");
            Assert.Equal(RequestCount, statuses.Values.Sum());
            Assert.DoesNotContain(statuses.Keys, s => s >= 500);
            Assert.True(leaks.IsEmpty, string.Join("\n", leaks));

            // Still healthy: a normal execution runs end to end, every event in order.
            var (_, streamUrl) = await alice.Execute(ApiTestHelpers.Workload(3, 10, 0, 200));
            var frames = await alice.ReadStream(streamUrl);
            Assert.Equal(Enumerable.Range(1, 99).Select(i => (long)i), frames.Select(f => f.Event.Sequence));
            Assert.Equal(AgentEventTypes.ExecutionComplete, frames[^1].Type);
        }
        finally
        {
            if (Directory.Exists(workspaces))
            {
                Directory.Delete(workspaces, recursive: true);
            }
        }
    }

    private static async Task<(int Status, string Body)> Send(HttpClient client, Attack attack)
    {
        using var request = attack.Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            var body = new StringBuilder();
            try
            {
                // Streams that are allowed may run long: read what comes within two seconds.
                await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
                var buffer = new byte[8192];
                int read;
                while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
                {
                    body.Append(Encoding.UTF8.GetString(buffer, 0, read));
                }
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
            }

            return ((int)response.StatusCode, body.ToString());
        }
        catch (HttpRequestException ex) when (ex.InnerException is IOException || attack.MayBeRefusedAtTheConnection)
        {
            // Kestrel answered (often 4xx) and closed the connection before the client had written everything
            // (a huge header or a body it did not read): counted as status 0. A crash would show in the health check.
            return (0, ex.Message);
        }
    }

    private sealed record Attack(string Description, Func<HttpRequestMessage> Build, bool MayBeRefusedAtTheConnection);

    private sealed class AttackGenerator(Random random, string aliceId, string malloryId, string malloryToken, string aliceStreamToken)
    {
        private const string DevKey = TestTokens.DevelopmentKey;
        private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];

        public Attack Next()
        {
            var id = Pick(aliceId, aliceId, malloryId, Guid.NewGuid().ToString("N"), "..%2F..%2Fetc%2Fpasswd", "%00", new string('a', 5000),
                "ÅÄÖ-日本", aliceId.ToUpperInvariant(), aliceId + "/../" + malloryId, "-1", "");
            var path = Pick(
                "/api/agent/execute",
                $"/api/agent/stream/{id}",
                $"/api/agent/executions/{id}",
                $"/api/agent/executions/{id}/cancel",
                $"/api/agent/executions/{id}/files",
                $"/api/agent/executions/{id}/files/{Pick("index.html", "../../../../etc/passwd", "..%2F..%2Fsecret", "/etc/passwd", "a/../../b", "%2e%2e/x", "README.md")}",
                $"/api/agent/executions/{id}/stream-token",
                "/api/agent/executions" + Pick("", "?limit=0", "?limit=-5", "?limit=abc", $"?cursor={aliceId}", "?cursor=../x", "?limit=100000"),
                "/api/dev/token",
                "/api/agent/" + Pick("nope", "stream", "executions/", "..", "%ff"));
            var method = random.Next(4) == 0 ? Pick(Methods) : path.EndsWith("execute", StringComparison.Ordinal) || path.EndsWith("cancel", StringComparison.Ordinal) || path.EndsWith("token", StringComparison.Ordinal) ? "POST" : "GET";
            var (authDescription, authorize) = Auth(id);
            var (bodyDescription, content) = Body();
            var lastEventId = random.Next(5) == 0 ? Pick("-1", "abc", "99999999999999999999999", "1.5", "0", "40", " ", new string('9', 300)) : null;
            var hugeHeader = random.Next(40) == 0;
            var description = $"{method} {path} auth={authDescription} body={bodyDescription} lastEventId={lastEventId} huge={hugeHeader}";
            var mayBeCutOff = hugeHeader || bodyDescription == "oversized";
            return new Attack(description, () =>
            {
                var request = new HttpRequestMessage(new HttpMethod(method), path);
                authorize(request);
                if (content is not null && method is not ("GET" or "HEAD"))
                {
                    request.Content = content();
                }

                if (lastEventId is not null)
                {
                    request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
                }

                if (hugeHeader)
                {
                    request.Headers.TryAddWithoutValidation("X-Huge", new string('h', 40_000));
                }

                request.Headers.TryAddWithoutValidation("X-Odd", Pick("\u00e9t\u00e9", "a\tb", "", "()<>@,;:\\\"/[]?={}"));
                return request;
            }, mayBeCutOff);
        }

        private (string, Action<HttpRequestMessage>) Auth(string id)
        {
            Action<HttpRequestMessage> Bearer(string token) => r => r.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
            return random.Next(11) switch
            {
                0 => ("none", _ => { }),
                1 => ("forged", Bearer(TestTokens.Create("alice", "attacker-key-that-is-long-enough-0123456789"))),
                2 => ("expired", Bearer(TestTokens.Create("alice", DevKey, expires: DateTime.UtcNow.AddHours(-1)))),
                3 => ("alg-none", Bearer(TestTokens.Unsigned("alice"))),
                4 => ("wrong-audience", Bearer(TestTokens.Create("alice", DevKey, audience: "other"))),
                5 => ("stream-token-as-bearer", Bearer(aliceStreamToken)),
                6 => ("stream-token-on-other-execution", r => r.RequestUri = new Uri(
                    r.RequestUri!.OriginalString.Replace(aliceId, malloryId, StringComparison.Ordinal) + (r.RequestUri.OriginalString.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "access_token=" + aliceStreamToken,
                    UriKind.Relative)),
                7 => ("stream-token-scoped-elsewhere", Bearer(TestTokens.Create("alice", DevKey, "orleans-agent-stream-tokens", "orleans-agent-stream", extraClaims: [new Claim("exec", malloryId)]))),
                8 => ("garbage", r => r.Headers.TryAddWithoutValidation("Authorization", Pick("Bearer", "Basic YWxpY2U6cGFzcw==", "Bearer " + new string('x', 9000), "bearer  ..", "Bearer a.b.c"))),
                _ => ("mallory", Bearer(malloryToken)),
            };
        }

        private (string, Func<HttpContent>?) Body()
        {
            string[] valid =
            [
                """{"task":"hello","context":{"workload":{"phases":1,"steps":1,"delayMs":0,"thoughtBytes":1}}}""",
                """{"task":"Create a landing page"}""",
                """{"reason":"stop"}""",
                """{"userId":"alice"}""",
            ];
            var json = Pick(valid);
            return random.Next(9) switch
            {
                0 => ("none", null),
                1 => ("truncated", () => Json(json[..random.Next(json.Length)])),
                2 => ("mutated", () => Json(Mutate(json))),
                3 => ("deep", () => Json(new string('[', 5000) + new string(']', 5000))),
                4 => ("wrong-type", () => Json("""{"task":123,"context":[1,2,{"workload":"x"}]}""")),
                5 => ("form", () => new StringContent("task=x&context=y", Encoding.UTF8, "application/x-www-form-urlencoded")),
                6 => ("binary", () => new ByteArrayContent(RandomBytes(random.Next(1, 4096)))),
                7 => ("oversized", () => Json($$"""{"task":"{{new string('x', 2_000_000)}}"}""")),
                _ => ("valid", () => Json(json)),
            };
        }

        private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

        private string Mutate(string json)
        {
            var chars = json.ToCharArray();
            for (var i = random.Next(1, 6); i > 0; i--)
            {
                chars[random.Next(chars.Length)] = (char)random.Next(0, 0x3000);
            }

            return new string(chars);
        }

        private byte[] RandomBytes(int length)
        {
            var bytes = new byte[length];
            random.NextBytes(bytes);
            return bytes;
        }

        private T Pick<T>(params T[] options) => options[random.Next(options.Length)];
    }
}
