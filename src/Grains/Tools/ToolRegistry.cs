using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace Orleans.Agent.Grains.Tools;

/// <summary>Every tool registered in DI, by name, and their declarations as the model sees them.</summary>
public sealed partial class ToolRegistry
{
    private readonly Dictionary<string, IAgentTool> _tools;

    public ToolRegistry(IEnumerable<IAgentTool> tools)
    {
        _tools = new Dictionary<string, IAgentTool>(StringComparer.Ordinal);
        foreach (var tool in tools)
        {
            if (!NamePattern().IsMatch(tool.Name))
            {
                throw new InvalidOperationException($"Tool name '{tool.Name}' must match {NamePattern()}.");
            }

            if (!_tools.TryAdd(tool.Name, tool))
            {
                throw new InvalidOperationException($"Two tools are named '{tool.Name}'.");
            }
        }

        Declarations = _tools.Values
            .Select(t => (AITool)AIFunctionFactory.CreateDeclaration(t.Name, t.Description, t.ParametersSchema))
            .ToArray();
    }

    /// <summary>The tools as the model sees them (ChatOptions wants an IList; do not modify it).</summary>
    public IList<AITool> Declarations { get; }

    public IAgentTool? Find(string name) => _tools.GetValueOrDefault(name);

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$")]
    private static partial Regex NamePattern();
}
