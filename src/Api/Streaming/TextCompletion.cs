using Orleans.Agent.Events;
using Orleans.Agent.LiveText;

namespace Orleans.Agent.Api.Streaming;

/// <summary>
/// Which texts the durable events seen so far have completed (<see cref="LiveTextIds"/>): thoughts are numbered in
/// order, so one number covers them; the result and every other text end with the terminal event.
/// </summary>
public struct TextCompletion
{
    private int _thoughts;
    private bool _ended;

    /// <summary>True once the terminal event was seen: no text is written any more.</summary>
    public readonly bool Ended => _ended;

    public void Observe(AgentEvent evt)
    {
        if (evt.IsTerminal)
        {
            _ended = true;
        }
        else if (evt.Data is ThinkingData thinking && thinking.Iteration > _thoughts)
        {
            _thoughts = thinking.Iteration;
        }
    }

    public readonly bool Covers(string textId) => _ended || LiveTextIds.IsThoughtUpTo(textId, _thoughts);
}
