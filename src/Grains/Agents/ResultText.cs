using System.Text;
using Orleans.Agent.LiveText;

namespace Orleans.Agent.Grains.Agents;

/// <summary>
/// The final answer as the model streams it: the result is the trimmed text, so only what lies past its leading and
/// before its trailing whitespace (and never half a surrogate pair) is reported as a delta of <see cref="LiveTextIds.Result"/>;
/// the deltas, in order, spell exactly <see cref="Complete"/>'s answer.
/// </summary>
public sealed class ResultText
{
    private readonly StringBuilder _text = new();
    private int _start = -1; // the first non-whitespace character, once there is one
    private int _sent; // characters of the trimmed text reported so far

    public void Append(string text, ICollection<TextDelta> deltas)
    {
        _text.Append(text);
        if (_start < 0)
        {
            var first = 0;
            while (first < _text.Length && char.IsWhiteSpace(_text[first]))
            {
                first++;
            }

            if (first == _text.Length)
            {
                return;
            }

            _start = first;
        }

        var end = _text.Length;
        while (end > _start && (char.IsWhiteSpace(_text[end - 1]) || char.IsHighSurrogate(_text[end - 1])))
        {
            end--;
        }

        Report(end, deltas);
    }

    /// <summary>The whole answer, trimmed (empty when the model wrote none); its unreported rest goes to <paramref name="deltas"/>.</summary>
    public string Complete(ICollection<TextDelta> deltas)
    {
        var result = _text.ToString().Trim();
        if (result.Length > _sent)
        {
            deltas.Add(new TextDelta(LiveTextIds.Result, _sent, result[_sent..]));
            _sent = result.Length;
        }

        return result;
    }

    private void Report(int end, ICollection<TextDelta> deltas)
    {
        if (end - _start > _sent)
        {
            deltas.Add(new TextDelta(LiveTextIds.Result, _sent, _text.ToString(_start + _sent, end - _start - _sent)));
            _sent = end - _start;
        }
    }
}
