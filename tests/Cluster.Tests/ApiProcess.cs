using System.Diagnostics;

namespace Orleans.Agent.Tests;

/// <summary>The API as <c>dotnet run</c> starts it (Development, its own silo), as a process on free ports: killed when disposed.</summary>
internal sealed class ApiProcess(Process process, Uri url) : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    public Uri Url => url;

    /// <summary>Starts it and waits until it is ready; started again on new ports if another process took one first.</summary>
    public static async Task<ApiProcess> Start(params string[] settings)
    {
        for (var attempt = 1; ; attempt++)
        {
            var url = new Uri($"http://127.0.0.1:{FreePorts.Next()}");
            var process = Process.Start(new ProcessStartInfo("dotnet",
            [
                TestPaths.BuildOutput("src/Api", "Orleans.Agent.Api.dll"), "--urls", url.ToString(), "--environment", "Development",
                "--contentRoot", Path.Combine(TestPaths.RepositoryRoot, "src", "Api"), "--Logging:LogLevel:Default=Warning",
                $"--Silo:SiloPort={FreePorts.Next()}", $"--Silo:GatewayPort={FreePorts.Next()}", .. settings,
            ])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            await Poll.Until(async () => process.HasExited || await Ready(url), Deadline);
            if (!process.HasExited)
            {
                return new ApiProcess(process, url);
            }

            Assert.True(attempt < 3, "The API process exited during start-up three times.");
            process.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
    }

    private static async Task<bool> Ready(Uri url)
    {
        try
        {
            using var probe = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(5) };
            return (await probe.GetAsync("/health/ready")).IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }
}
