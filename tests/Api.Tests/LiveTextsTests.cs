using System.Text.Json;
using Orleans.Agent.Api.Streaming;
using Orleans.Agent.Events;
using Orleans.Agent.LiveText;

namespace Orleans.Agent.Tests;

/// <summary>A node's texts being written: placed by offset, merged per connection, withdrawn by a later run, ended by their events.</summary>
public sealed class LiveTextsTests
{
    [Fact]
    public void A_connection_gets_one_delta_per_text_with_everything_it_has_not_had()
    {
        var texts = new LiveTexts();
        var connection = new ConnectionTexts();
        Assert.True(texts.Apply(Batch(1, ("thinking:1", 0, "The "), ("thinking:1", 4, "model "))));
        Assert.True(texts.Apply(Batch(1, ("thinking:1", 10, "thinks."))));

        Assert.Equal([Delta("thinking:1", 0, "The model thinks.")], Collect(texts, connection));
        Assert.Empty(Collect(texts, connection));

        texts.Apply(Batch(1, ("thinking:1", 17, " More.")));
        Assert.Equal([Delta("thinking:1", 17, " More.")], Collect(texts, connection));
    }

    [Fact]
    public void A_piece_that_comes_twice_is_not_doubled_and_one_that_overtook_another_waits_for_it()
    {
        var texts = new LiveTexts();
        texts.Apply(Batch(1, ("result", 0, "ab")));
        texts.Apply(Batch(1, ("result", 0, "abcd"))); // a watch's whole text, overlapping what came as pieces
        texts.Apply(Batch(1, ("result", 6, "gh"))); // overtook "ef"
        Assert.Equal([Delta("result", 0, "abcd")], Collect(texts, new ConnectionTexts()));

        texts.Apply(Batch(1, ("result", 4, "ef")));

        Assert.Equal([Delta("result", 0, "abcdefgh")], Collect(texts, new ConnectionTexts()));
    }

    [Fact]
    public void A_piece_missing_for_long_asks_for_the_texts_again()
    {
        var texts = new LiveTexts();
        texts.Apply(Batch(1, ("result", 0, "a")));

        var placed = Enumerable.Range(0, 40).Select(i => texts.Apply(Batch(1, ("result", 2 + i, "x")))).ToList();

        Assert.Contains(false, placed);
        Assert.True(texts.Apply(Batch(1, ("result", 0, "a" + new string('x', 42))))); // what watching again brings
        Assert.Equal([Delta("result", 0, "a" + new string('x', 42))], Collect(texts, new ConnectionTexts()));
    }

    [Fact]
    public void A_later_run_withdraws_what_an_earlier_one_wrote_and_its_own_text_follows_from_the_start()
    {
        var texts = new LiveTexts();
        var connection = new ConnectionTexts();
        var fresh = new ConnectionTexts();
        texts.Apply(Batch(1, ("thinking:2", 0, "cut by the silo's death")));
        Collect(texts, connection);

        texts.Apply(Batch(2, []));
        Assert.Equal([Reset("thinking:2")], Collect(texts, connection));
        Assert.Empty(Collect(texts, fresh)); // it never saw the withdrawn text: nothing to reset

        texts.Apply(Batch(1, ("thinking:2", 23, " (late)"))); // the dead run's last piece, still in flight
        texts.Apply(Batch(2, ("thinking:2", 0, "written again")));
        Assert.Equal([Delta("thinking:2", 0, "written again")], Collect(texts, connection));
        Assert.Equal([Delta("thinking:2", 0, "written again")], Collect(texts, fresh));
    }

    [Fact]
    public void The_event_that_holds_a_text_ends_it_and_late_pieces_of_it_are_ignored()
    {
        var texts = new LiveTexts();
        texts.Apply(Batch(1, ("thinking:1", 0, "one"), ("thinking:2", 0, "two")));
        var behind = new ConnectionTexts();
        Collect(texts, behind);

        texts.Observe(Thinking(1, "one."));
        texts.Apply(Batch(1, ("thinking:1", 3, "."))); // overtaken by its event
        Assert.Equal([Delta("thinking:2", 0, "two")], Collect(texts, new ConnectionTexts()));
        Assert.Empty(Collect(texts, behind)); // it has "one" and will get the event that replaces it

        var ahead = new ConnectionTexts();
        ahead.Delivered(Thinking(2, "two.")); // read from the log before this node heard of it
        Assert.Empty(Collect(texts, ahead));

        texts.Observe(new AgentEvent("e", 9, AgentEventTypes.ExecutionCancelled, DateTimeOffset.UnixEpoch, new ExecutionCancelledData("stop", "alice")));
        texts.Apply(Batch(1, ("result", 0, "never shown")));
        Assert.Empty(Collect(texts, new ConnectionTexts()));
    }

    [Fact]
    public void Frames_are_the_documented_payloads()
    {
        var (deltaType, deltaJson) = Delta("thinking:3", 120, "a \"quoted\"\nline");
        var (resetType, resetJson) = Reset("thinking:3");

        Assert.Equal("text:delta", deltaType);
        Assert.Equal("""{"textId":"thinking:3","offset":120,"text":"a \"quoted\"\nline"}""", deltaJson);
        Assert.Equal("text:reset", resetType);
        Assert.Equal("""{"textId":"thinking:3"}""", resetJson);
    }

    private static List<(string Type, string Json)> Collect(LiveTexts texts, ConnectionTexts connection)
    {
        var frames = new List<TextFrame>();
        texts.Collect(connection, frames);
        return frames.Select(f => (f.Type, System.Text.Encoding.UTF8.GetString(f.Json))).ToList();
    }

    private static (string Type, string Json) Delta(string id, int offset, string text) =>
        ToPair(TextFrame.Delta(new TextDelta(id, offset, text)));

    private static (string Type, string Json) Reset(string id) => ToPair(TextFrame.Reset(id));

    private static (string Type, string Json) ToPair(TextFrame frame) => (frame.Type, System.Text.Encoding.UTF8.GetString(frame.Json));

    private static LiveTextBatch Batch(long epoch, params (string Id, int Offset, string Text)[] deltas) =>
        new(epoch, [.. deltas.Select(d => new TextDelta(d.Id, d.Offset, d.Text))]);

    private static AgentEvent Thinking(int iteration, string thought) =>
        new("e", iteration, AgentEventTypes.Thinking, DateTimeOffset.UnixEpoch, new ThinkingData(thought, iteration));
}
