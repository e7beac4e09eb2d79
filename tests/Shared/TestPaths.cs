namespace Orleans.Agent.Tests;

internal static class TestPaths
{
    /// <summary>The checkout's root: the first directory above the test binaries that holds the solution file.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

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
