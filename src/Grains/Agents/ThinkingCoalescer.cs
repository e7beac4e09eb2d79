using System.Text;

namespace Orleans.Agent.Grains.Agents;

/// <summary>
/// Turns a model's streamed text (a few characters per update) into readable thoughts: a thought ends at a blank
/// line (a paragraph), when the model's turn ends or it calls a tool (<see cref="Flush"/>), or when it reaches
/// the length limit, cut after the last sentence or word that fits.
/// </summary>
public sealed class ThinkingCoalescer(int maxChars)
{
    private readonly StringBuilder _buffer = new();

    /// <summary>Adds streamed text; returns the thoughts it completed (often none).</summary>
    public IReadOnlyList<string> Append(string text)
    {
        _buffer.Append(text);
        List<string>? thoughts = null;
        while (true)
        {
            var current = _buffer.ToString();
            var paragraphEnd = current.IndexOf("\n\n", StringComparison.Ordinal);
            int cut;
            if (paragraphEnd >= 0 && paragraphEnd <= maxChars)
            {
                cut = paragraphEnd + 2;
            }
            else if (current.Length > maxChars)
            {
                cut = CutPoint(current);
            }
            else
            {
                break;
            }

            Add(ref thoughts, current[..cut]);
            _buffer.Remove(0, cut);
        }

        return thoughts ?? (IReadOnlyList<string>)[];
    }

    /// <summary>Whatever is buffered, as a last thought (null when only whitespace is left).</summary>
    public string? Flush()
    {
        var rest = _buffer.ToString().Trim();
        _buffer.Clear();
        return rest.Length == 0 ? null : rest;
    }

    private int CutPoint(string text)
    {
        var window = text[..maxChars];
        var sentence = Math.Max(window.LastIndexOf(". ", StringComparison.Ordinal), Math.Max(window.LastIndexOf("! ", StringComparison.Ordinal), window.LastIndexOf("? ", StringComparison.Ordinal)));
        if (sentence > maxChars / 2)
        {
            return sentence + 2;
        }

        var space = window.LastIndexOf(' ');
        return space > maxChars / 2 ? space + 1 : maxChars;
    }

    private static void Add(ref List<string>? thoughts, string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length > 0)
        {
            (thoughts ??= []).Add(trimmed);
        }
    }
}
