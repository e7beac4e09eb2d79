using System.Text;
using Orleans.Agent.LiveText;

namespace Orleans.Agent.Grains.Agents;

/// <summary>
/// Turns a model's streamed text (a few characters per update) into readable thoughts: a thought ends at a blank
/// line (a paragraph), when the model's turn ends or it calls a tool (<see cref="Flush"/>), or when it reaches
/// the length limit, cut after the last sentence or word that fits.
/// Given a list, it also reports the text as it is written (<see cref="TextDelta"/>): only what is sure to be in the
/// thought's final, trimmed text, so the deltas of a thought are always a prefix of it and, once it completes,
/// exactly it. Sure means: past leading whitespace, before trailing whitespace (a thought is trimmed), before the
/// earliest place a length cut can fall (more than half the limit in), and never half a surrogate pair. The thoughts
/// are the execution's <c>thinking</c> events from <paramref name="firstIteration"/> on, and their deltas say so.
/// </summary>
public sealed class ThinkingCoalescer(int maxChars, int firstIteration = 1)
{
    private readonly StringBuilder _buffer = new();
    private int _completed; // thoughts completed so far: the number of the one being written
    private int _sent; // characters of the current thought's trimmed text reported as deltas

    /// <summary>Adds streamed text; returns the thoughts it completed (often none), and adds to <paramref name="deltas"/> what was written.</summary>
    public IReadOnlyList<string> Append(string text, ICollection<TextDelta>? deltas = null)
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

            Complete(ref thoughts, current[..cut], deltas);
            _buffer.Remove(0, cut);
        }

        if (deltas is not null)
        {
            ReportSure(deltas);
        }

        return thoughts ?? (IReadOnlyList<string>)[];
    }

    /// <summary>Whatever is buffered, as a last thought (null when only whitespace is left); its rest goes to <paramref name="deltas"/>.</summary>
    public string? Flush(ICollection<TextDelta>? deltas = null)
    {
        List<string>? thoughts = null;
        Complete(ref thoughts, _buffer.ToString(), deltas);
        _buffer.Clear();
        return thoughts?[0];
    }

    private string TextId => LiveTextIds.Thinking(firstIteration + _completed);

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

    /// <summary>A thought's raw text is complete: it counts if anything but whitespace is in it; its unreported rest is reported.</summary>
    private void Complete(ref List<string>? thoughts, string raw, ICollection<TextDelta>? deltas)
    {
        var thought = raw.Trim();
        if (thought.Length == 0)
        {
            return;
        }

        if (deltas is not null && thought.Length > _sent)
        {
            deltas.Add(new TextDelta(TextId, _sent, thought[_sent..]));
        }

        (thoughts ??= []).Add(thought);
        _completed++;
        _sent = 0;
    }

    /// <summary>Reports the part of the current thought that no later text can change.</summary>
    private void ReportSure(ICollection<TextDelta> deltas)
    {
        // A length cut falls after a sentence or word past half the limit, or at the limit: never before this.
        var end = Math.Min(_buffer.Length, maxChars / 2 + 1);
        var start = 0;
        while (start < end && char.IsWhiteSpace(_buffer[start]))
        {
            start++;
        }

        while (end > start && (char.IsWhiteSpace(_buffer[end - 1]) || char.IsHighSurrogate(_buffer[end - 1])))
        {
            end--;
        }

        if (end - start > _sent)
        {
            deltas.Add(new TextDelta(TextId, _sent, _buffer.ToString(start + _sent, end - start - _sent)));
            _sent = end - start;
        }
    }
}
