using System.Text.Json;

namespace Orleans.Agent.Cli.Following;

/// <summary>What a follower shows: for a person (<see cref="ConsoleView"/>) or for a script (<see cref="JsonView"/>).</summary>
public interface IFollowView
{
    /// <summary>The next durable event, in sequence order, each exactly once; <paramref name="json"/> is its data: line.</summary>
    void Durable(string type, JsonElement evt, string json);

    /// <summary>A piece of a text being written (live only): <paramref name="text"/> goes at <paramref name="offset"/> of <paramref name="textId"/>.</summary>
    void Delta(string textId, int offset, string text);

    /// <summary>What was shown of <paramref name="textId"/> is withdrawn: the run writing it failed before it became durable.</summary>
    void TextWithdrawn(string textId);

    /// <summary>The events before the cursor are gone (retention): the stream goes on after the snapshot's last event.</summary>
    void Reset(string reason, JsonElement snapshot);

    /// <summary>The connection was lost (or refused for now); the follower tries again after <paramref name="delay"/>.</summary>
    void Reconnecting(string reason, TimeSpan delay);
}
