using System.ComponentModel;
using System.Text.Json;

namespace Orleans.Agent.Grains.Tools;

/// <summary>Writes a file in the execution's workspace.</summary>
public sealed class CreateFileTool : AgentTool<CreateFileTool.Arguments>
{
    public sealed record Arguments(
        [property: Description("Path relative to the workspace, e.g. 'site/index.html'.")] string Path,
        [property: Description("The whole text content of the file.")] string Content);

    public override string Name => "create_file";

    public override string Description => "Create or replace a text file in the workspace.";

    protected override async Task<JsonElement> Invoke(Arguments arguments, ToolContext context, CancellationToken cancellationToken)
    {
        var file = await context.Workspace.Write(arguments.Path, arguments.Content ?? "", cancellationToken);
        return Json(new { path = file.Path, bytes = file.Size });
    }
}

/// <summary>Reads a file from the execution's workspace.</summary>
public sealed class ReadFileTool : AgentTool<ReadFileTool.Arguments>
{
    public sealed record Arguments([property: Description("Path relative to the workspace.")] string Path);

    public override string Name => "read_file";

    public override string Description => "Read a text file from the workspace.";

    protected override async Task<JsonElement> Invoke(Arguments arguments, ToolContext context, CancellationToken cancellationToken) =>
        Json(new { path = arguments.Path, content = await context.Workspace.Read(arguments.Path, cancellationToken) });
}

/// <summary>Lists the execution's workspace.</summary>
public sealed class ListFilesTool : AgentTool<ListFilesTool.Arguments>
{
    public sealed record Arguments;

    public override string Name => "list_files";

    public override string Description => "List every file in the workspace with its size in bytes.";

    protected override Task<JsonElement> Invoke(Arguments arguments, ToolContext context, CancellationToken cancellationToken) =>
        Task.FromResult(Json(new { files = context.Workspace.List() }));
}
