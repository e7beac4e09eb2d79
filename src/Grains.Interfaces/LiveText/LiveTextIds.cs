using System.Globalization;
using Orleans.Agent.Events;

namespace Orleans.Agent.LiveText;

/// <summary>
/// The id of a text being written names the durable event that will hold all of it: <c>thinking:{iteration}</c>
/// (the <c>thinking</c> event with that <c>iteration</c>) or <c>result</c> (<c>execution:complete</c>'s result).
/// That event replaces the text's deltas; a terminal event ends every text.
/// </summary>
public static class LiveTextIds
{
    public const string Result = "result";

    private const string ThinkingPrefix = "thinking:";

    public static string Thinking(int iteration) => ThinkingPrefix + iteration.ToString(CultureInfo.InvariantCulture);

    /// <summary>The text <paramref name="evt"/> completes, if any (a terminal event ends all the others too).</summary>
    public static string? CompletedBy(AgentEvent evt) => evt.Data switch
    {
        ThinkingData thinking => Thinking(thinking.Iteration),
        ExecutionCompleteData => Result,
        _ => null,
    };

    /// <summary>True when <paramref name="textId"/> is a thought numbered at most <paramref name="iteration"/>.</summary>
    public static bool IsThoughtUpTo(string textId, int iteration) =>
        textId.StartsWith(ThinkingPrefix, StringComparison.Ordinal)
        && int.TryParse(textId.AsSpan(ThinkingPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
        && n <= iteration;
}
