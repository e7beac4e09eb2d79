using Orleans.Agent.Events;

namespace Orleans.Agent.Tests;

public sealed class TimeLimitTests
{
    [Fact]
    public async Task A_run_longer_than_the_wall_clock_limit_ends_with_time_limit()
    {
        await using var stub = await OpenAIStub.Start();
        await using var server = await ApiServer.Start(
            "Production",
            "--Auth:SigningKey=a-production-key-for-tests-only-0123456789",
            "--Model:Provider=openai",
            $"--Model:BaseUrl={stub.BaseUrl}",
            "--Model:Models:0=stub-model",
            "--Model:MaxDuration=00:00:01");
        const string task = "Think for ever";
        stub.Script(task, new StubTurn(["Hmm..."], [], Hang: true));
        using var alice = server.Anonymous();
        alice.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.Create("alice", "a-production-key-for-tests-only-0123456789"));

        var (_, streamUrl) = await alice.Execute(new { task });
        var frames = await alice.ReadStream(streamUrl);

        var error = Assert.IsType<ExecutionErrorData>(frames[^1].Event.Data);
        Assert.Equal("time_limit", error.Code);
        Assert.Null(error.Stack); // not Development
        Assert.Single(frames, f => f.Event.IsTerminal);
    }
}
