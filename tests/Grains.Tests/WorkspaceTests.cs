using Orleans.Agent.Grains.Workspaces;

namespace Orleans.Agent.Tests;

public sealed class WorkspaceTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "orleans-agent-tests", Guid.NewGuid().ToString("N"));
    private readonly string _outside;
    private readonly ExecutionWorkspace _workspace;

    public WorkspaceTests()
    {
        _outside = _root + "-outside";
        Directory.CreateDirectory(_outside);
        File.WriteAllText(Path.Combine(_outside, "secret.txt"), "secret");
        _workspace = new ExecutionWorkspace(Path.Combine(_root, "exec"), new WorkspaceOptions { MaxFileBytes = 100, MaxFiles = 3 });
    }

    public void Dispose()
    {
        foreach (var dir in new[] { _root, _outside }.Where(Directory.Exists))
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Files_are_written_read_and_listed_relative_to_the_workspace()
    {
        await _workspace.Write("site/index.html", "<h1>hi</h1>", CancellationToken.None);
        await _workspace.Write("README.md", "read me", CancellationToken.None);

        Assert.Equal("<h1>hi</h1>", await _workspace.Read("site/index.html", CancellationToken.None));
        Assert.Equal([("README.md", 7L), ("site/index.html", 11L)], _workspace.List().Select(f => (f.Path, f.Size)));
    }

    [Theory]
    [InlineData("../secret.txt")]
    [InlineData("a/../../secret.txt")]
    [InlineData("..")]
    [InlineData("./x")]
    [InlineData("/etc/passwd")]
    [InlineData("\\etc\\passwd")]
    [InlineData("C:\\Windows\\win.ini")]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("a\0b")]
    public async Task Paths_that_leave_the_workspace_are_refused(string path)
    {
        await Assert.ThrowsAsync<WorkspaceException>(() => _workspace.Write(path, "x", CancellationToken.None));
        await Assert.ThrowsAsync<WorkspaceException>(() => _workspace.Read(path, CancellationToken.None));
    }

    [Fact]
    public async Task A_symbolic_link_to_a_file_outside_is_not_followed()
    {
        Directory.CreateDirectory(_workspace.Root);
        File.CreateSymbolicLink(Path.Combine(_workspace.Root, "link.txt"), Path.Combine(_outside, "secret.txt"));

        var read = await Assert.ThrowsAsync<WorkspaceException>(() => _workspace.Read("link.txt", CancellationToken.None));
        await Assert.ThrowsAsync<WorkspaceException>(() => _workspace.Write("link.txt", "overwrite", CancellationToken.None));

        Assert.Contains("symbolic link", read.Message, StringComparison.Ordinal);
        Assert.Equal("secret", await File.ReadAllTextAsync(Path.Combine(_outside, "secret.txt")));
        Assert.DoesNotContain(_workspace.List(), f => f.Path == "link.txt");
    }

    [Fact]
    public async Task A_symbolic_link_to_a_folder_outside_is_not_followed()
    {
        Directory.CreateDirectory(_workspace.Root);
        Directory.CreateSymbolicLink(Path.Combine(_workspace.Root, "dir"), _outside);

        await Assert.ThrowsAsync<WorkspaceException>(() => _workspace.Read("dir/secret.txt", CancellationToken.None));
        await Assert.ThrowsAsync<WorkspaceException>(() => _workspace.Write("dir/new.txt", "x", CancellationToken.None));

        Assert.False(File.Exists(Path.Combine(_outside, "new.txt")));
    }

    [Fact]
    public async Task A_workspace_root_that_is_a_link_is_refused()
    {
        Directory.CreateDirectory(_root);
        Directory.CreateSymbolicLink(_workspace.Root, _outside);

        await Assert.ThrowsAsync<WorkspaceException>(() => _workspace.Read("secret.txt", CancellationToken.None));
    }

    [Fact]
    public async Task Files_larger_than_the_limit_are_refused()
    {
        var error = await Assert.ThrowsAsync<WorkspaceException>(() => _workspace.Write("big.txt", new string('x', 101), CancellationToken.None));

        Assert.Contains("limit is 100", error.Message, StringComparison.Ordinal);
        await _workspace.Write("fits.txt", new string('x', 100), CancellationToken.None);
    }

    [Fact]
    public async Task More_files_than_the_limit_are_refused_but_existing_ones_can_be_replaced()
    {
        foreach (var name in new[] { "1.txt", "2.txt", "3.txt" })
        {
            await _workspace.Write(name, "x", CancellationToken.None);
        }

        await Assert.ThrowsAsync<WorkspaceException>(() => _workspace.Write("4.txt", "x", CancellationToken.None));
        await _workspace.Write("3.txt", "replaced", CancellationToken.None);

        Assert.Equal(3, _workspace.List().Count);
    }

    [Fact]
    public async Task Reading_a_missing_file_says_so()
    {
        var error = await Assert.ThrowsAsync<WorkspaceException>(() => _workspace.Read("nope.txt", CancellationToken.None));

        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
        Assert.Null(await _workspace.ReadBytes("nope.txt", CancellationToken.None));
    }
}
