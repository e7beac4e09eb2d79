using System.Text.Json;

namespace Orleans.Agent.Cli.Following;

/// <summary>
/// <c>--json</c>: each durable event's JSON on its own line of stdout, exactly as the API sent it (NDJSON), for
/// <c>jq</c> and scripts; notes about the connection go to stderr. Live text is not asked for.
/// </summary>
public sealed class JsonView(TextWriter output, TextWriter notes) : IFollowView
{
    public void Durable(string type, JsonElement evt, string json)
    {
        output.WriteLine(json);
        output.Flush();
    }

    public void Delta(string textId, int offset, string text)
    {
    }

    public void TextWithdrawn(string textId)
    {
    }

    public void Reset(string reason, JsonElement snapshot) =>
        notes.WriteLine($"stream:reset ({reason}): continuing after event {snapshot.GetProperty("lastSequence").GetInt64()}");

    public void Reconnecting(string reason, TimeSpan delay) =>
        notes.WriteLine($"reconnecting in {delay.TotalSeconds:0.#} s: {reason}");
}
