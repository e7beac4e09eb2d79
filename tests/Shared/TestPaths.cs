namespace Orleans.Agent.Tests;

internal static class TestPaths
{
    /// <summary>The checkout's root: the first directory above the test binaries that holds the solution file.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>A project's build output, in the configuration the tests themselves were built in.</summary>
    public static string BuildOutput(string projectDirectory, string fileName)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        return Path.Combine(RepositoryRoot, projectDirectory, "bin", configuration, "net10.0", fileName);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Orleans.Agent.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Orleans.Agent.sln not found above " + AppContext.BaseDirectory);
    }
}
