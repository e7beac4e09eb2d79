namespace Orleans.Agent.Tests;

/// <summary>One API process-in-a-test (Development environment) shared by the API tests.</summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public ApiServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await ApiServer.Start("Development");

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "api";
}
