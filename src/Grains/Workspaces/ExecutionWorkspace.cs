using Orleans.Agent.Executions;

namespace Orleans.Agent.Grains.Workspaces;

/// <summary>
/// One execution's sandboxed folder. Every path is relative to it; absolute paths, <c>..</c> segments and paths
/// that pass through a symbolic link are refused, so nothing outside the folder can be read or written.
/// </summary>
public sealed class ExecutionWorkspace(string root, WorkspaceOptions options)
{
    private const int MaxPathLength = 255;

    public string Root { get; } = Path.GetFullPath(root);

    public static ExecutionWorkspace For(string executionId, WorkspaceOptions options) =>
        new(Path.Combine(options.ResolvedRoot, executionId), options);

    /// <summary>Every file, as workspace-relative paths with '/' separators, in ordinal order.</summary>
    public IReadOnlyList<WorkspaceFile> List()
    {
        if (!Directory.Exists(Root))
        {
            return [];
        }

        return new DirectoryInfo(Root)
            .EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint })
            .Select(f => new WorkspaceFile(Path.GetRelativePath(Root, f.FullName).Replace('\\', '/'), f.Length))
            .OrderBy(f => f.Path, StringComparer.Ordinal)
            .ToArray();
    }

    public async Task<string> Read(string path, CancellationToken cancellationToken)
    {
        var fullPath = Resolve(path);
        if (!File.Exists(fullPath))
        {
            throw new WorkspaceException($"File '{path}' does not exist.");
        }

        return await File.ReadAllTextAsync(fullPath, cancellationToken);
    }

    public async Task<byte[]?> ReadBytes(string path, CancellationToken cancellationToken)
    {
        var fullPath = Resolve(path);
        return File.Exists(fullPath) ? await File.ReadAllBytesAsync(fullPath, cancellationToken) : null;
    }

    /// <summary>Creates or replaces a file, within the size and count limits.</summary>
    public async Task<WorkspaceFile> Write(string path, string content, CancellationToken cancellationToken)
    {
        var fullPath = Resolve(path);
        var bytes = System.Text.Encoding.UTF8.GetBytes(content);
        if (bytes.Length > options.MaxFileBytes)
        {
            throw new WorkspaceException($"'{path}' would be {bytes.Length} bytes; the limit is {options.MaxFileBytes}.");
        }

        if (!File.Exists(fullPath) && List().Count >= options.MaxFiles)
        {
            throw new WorkspaceException($"The workspace already holds {options.MaxFiles} files, the limit.");
        }

        if (Directory.Exists(fullPath))
        {
            throw new WorkspaceException($"'{path}' is a folder.");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        RefuseLinks(fullPath); // created folders cannot be links, but a concurrent writer could have put one there
        await File.WriteAllBytesAsync(fullPath, bytes, cancellationToken);
        return new WorkspaceFile(Relative(fullPath), bytes.Length);
    }

    /// <summary>Deletes the workspace and everything in it.</summary>
    public void Delete()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }

    /// <summary>The full path of a workspace-relative path, or a <see cref="WorkspaceException"/> saying why not.</summary>
    public string Resolve(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new WorkspaceException("A path is required.");
        }

        if (path.Length > MaxPathLength || path.Contains('\0', StringComparison.Ordinal))
        {
            throw new WorkspaceException($"'{Shorten(path)}' is not a valid path.");
        }

        var normalized = path.Replace('\\', '/');
        if (normalized.StartsWith('/') || Path.IsPathRooted(path) || (normalized.Length > 1 && normalized[1] == ':'))
        {
            throw new WorkspaceException($"'{Shorten(path)}' is absolute; paths are relative to the workspace.");
        }

        var segments = normalized.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0 || segments.Any(s => s is ".." or "."))
        {
            throw new WorkspaceException($"'{Shorten(path)}' leaves the workspace or is not a file path.");
        }

        var fullPath = Path.GetFullPath(Path.Combine([Root, .. segments]));
        if (!fullPath.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new WorkspaceException($"'{Shorten(path)}' leaves the workspace.");
        }

        RefuseLinks(fullPath);
        return fullPath;
    }

    private void RefuseLinks(string fullPath)
    {
        // Check the root and every existing component below it: a link anywhere could point outside.
        for (var current = fullPath; current.Length >= Root.Length; current = Path.GetDirectoryName(current)!)
        {
            var info = new FileInfo(current);
            if (info.Exists || Directory.Exists(current))
            {
                if (info.LinkTarget is not null)
                {
                    throw new WorkspaceException($"'{Relative(current)}' is a symbolic link; links are not followed.");
                }
            }

            if (current.Length == Root.Length)
            {
                break;
            }
        }
    }

    private string Relative(string fullPath) => Path.GetRelativePath(Root, fullPath).Replace('\\', '/');

    private static string Shorten(string path) => path.Length <= 80 ? path : path[..77] + "...";
}
