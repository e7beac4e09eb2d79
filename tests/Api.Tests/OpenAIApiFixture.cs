using Microsoft.Extensions.DependencyInjection;
using Orleans.Agent.Grains.Tools;

namespace Orleans.Agent.Tests;

/// <summary>The API configured with the <c>openai</c> provider against <see cref="OpenAIStub"/>, plus the test tools.</summary>
public sealed class OpenAIApiFixture : IAsyncLifetime
{
    public const int MaxIterations = 8;
    public const string ToolTimeout = "00:00:01";

    public OpenAIStub Stub { get; private set; } = null!;

    public ApiServer Server { get; private set; } = null!;

    public ToolProbe Probe { get; } = new();

    public async Task InitializeAsync()
    {
        Stub = await OpenAIStub.Start();
        Server = await ApiServer.Start(
            "Development",
            builder => builder.Services
                .AddSingleton<IAgentTool>(new WaitTool(Probe, "slow_wait", TimeSpan.FromMinutes(10)))
                .AddSingleton<IAgentTool>(new WaitTool(Probe, "timed_wait", timeout: null))
                .AddAgentTool<FailingTool>(),
            "--Model:Provider=openai",
            $"--Model:BaseUrl={Stub.BaseUrl}",
            "--Model:ApiKey=test-key",
            "--Model:Models:0=stub-model",
            "--Model:Models:1=stub-large",
            $"--Model:MaxIterations={MaxIterations}",
            $"--Model:ToolTimeout={ToolTimeout}");
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Stub.DisposeAsync();
    }
}
