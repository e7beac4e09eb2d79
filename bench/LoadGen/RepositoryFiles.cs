namespace Orleans.Agent.Bench;

/// <summary>Where the checkout and the servers' build outputs are, found from the generator's own location.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration the generator itself was built in; the servers were built in it too.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    public static string BuildOutput(string project, string dll)
    {
        var path = Path.Combine(Root, project, "bin", Configuration, "net10.0", dll);
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build {project} first ({Configuration}).", path);
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
