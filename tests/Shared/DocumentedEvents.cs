using System.Text.RegularExpressions;

namespace Orleans.Agent.Tests;

/// <summary>The JSON examples of docs/events.md, the contract's prose: each with the "### `type`" heading it sits under.</summary>
internal static partial class DocumentedEvents
{
    /// <summary>Every ```json block under a type's heading; <c>Live</c> for the ```json live frames (text:delta, text:reset).</summary>
    public static IReadOnlyList<(string Heading, string Json, bool Live)> Examples { get; } = Read();

    public static string Markdown => File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "docs", "events.md"));

    private static List<(string, string, bool)> Read()
    {
        var examples = new List<(string, string, bool)>();
        string? heading = null;
        foreach (Match m in HeadingOrBlock().Matches(Markdown))
        {
            if (m.Groups["heading"].Success)
            {
                heading = m.Groups["heading"].Value;
            }
            else if (heading is not null)
            {
                examples.Add((heading, m.Groups["json"].Value, m.Groups["live"].Success));
            }
        }

        return examples;
    }

    [GeneratedRegex(@"^### `(?<heading>[a-z:]+)`|^```json(?<live> live)?\n(?<json>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex HeadingOrBlock();
}
