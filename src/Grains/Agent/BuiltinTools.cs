using System.Text.Json;
using System.Text.RegularExpressions;
using Orleans.Agent.Serialization;

namespace Orleans.Agent.Agent;

/// <summary>The tools the offline built-in model calls. Small, deterministic and real: they compute their results.</summary>
public static partial class BuiltinTools
{
    public const string TextStats = "text_stats";
    public const string Outline = "outline";
    public const string Noop = "noop";

    private static readonly HashSet<string> StopWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "about", "after", "also", "and", "been", "before", "does", "each", "file", "from", "have", "into", "make",
        "more", "must", "only", "over", "please", "should", "some", "such", "that", "than", "their", "them", "then",
        "there", "these", "they", "this", "very", "what", "when", "which", "while", "will", "with", "would", "your",
    };

    /// <summary>Words, characters, sentences and up to five key terms (first appearance order) of a text.</summary>
    public static JsonElement ComputeTextStats(string text)
    {
        var words = WordPattern().Matches(text).Select(m => m.Value).ToArray();
        var sentences = text.Split(['.', '!', '?'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Length;
        return JsonSerializer.SerializeToElement(
            new { words = words.Length, characters = text.Length, sentences = Math.Max(sentences, 1), keywords = KeyTerms(text) },
            AgentJson.Options);
    }

    /// <summary>A section outline for a topic: an overview, one section per key term, and next steps.</summary>
    public static JsonElement ComputeOutline(string topic, IReadOnlyList<string> keywords)
    {
        var sections = new List<string> { $"Overview: {topic}" };
        sections.AddRange(keywords.Select(k => $"{char.ToUpperInvariant(k[0])}{k[1..]}: what it needs and how to do it"));
        sections.Add("Next steps");
        return JsonSerializer.SerializeToElement(new { sections }, AgentJson.Options);
    }

    /// <summary>The no-op tool of synthetic workloads: it only acknowledges.</summary>
    public static JsonElement NoopResult { get; } = JsonSerializer.SerializeToElement(new { ok = true }, AgentJson.Options);

    /// <summary>Up to five distinct words of four letters or more that are not stop words, in order of appearance.</summary>
    public static IReadOnlyList<string> KeyTerms(string text) =>
        WordPattern().Matches(text)
            .Select(m => m.Value.ToLowerInvariant())
            .Where(w => w.Length >= 4 && !StopWords.Contains(w))
            .Distinct()
            .Take(5)
            .ToArray();

    [GeneratedRegex(@"[\p{L}\p{N}][\p{L}\p{N}'-]*")]
    private static partial Regex WordPattern();
}
