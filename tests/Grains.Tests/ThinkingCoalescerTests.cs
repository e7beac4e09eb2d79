using Orleans.Agent.Grains.Agents;
using Orleans.Agent.LiveText;

namespace Orleans.Agent.Tests;

public sealed class ThinkingCoalescerTests
{
    [Fact]
    public void Streamed_tokens_become_one_thought_per_paragraph()
    {
        var coalescer = new ThinkingCoalescer(maxChars: 1000);
        var thoughts = new List<string>();

        foreach (var token in "First I read the task. It is short.\n\nThen I plan. Done".Select(c => c.ToString()))
        {
            thoughts.AddRange(coalescer.Append(token));
        }

        Assert.Equal(["First I read the task. It is short."], thoughts);
        Assert.Equal("Then I plan. Done", coalescer.Flush());
        Assert.Null(coalescer.Flush());
    }

    [Fact]
    public void A_long_paragraph_is_cut_after_a_sentence_within_the_limit()
    {
        var coalescer = new ThinkingCoalescer(maxChars: 100);
        var text = string.Concat(Enumerable.Repeat("This sentence has some words. ", 10));

        var thoughts = coalescer.Append(text).ToList();
        if (coalescer.Flush() is { } rest)
        {
            thoughts.Add(rest);
        }

        Assert.All(thoughts, t => Assert.InRange(t.Length, 1, 100));
        Assert.All(thoughts, t => Assert.EndsWith("words.", t, StringComparison.Ordinal));
        Assert.Equal(text.Trim(), string.Join(' ', thoughts));
    }

    [Fact]
    public void Text_without_spaces_is_cut_at_the_limit()
    {
        var coalescer = new ThinkingCoalescer(maxChars: 80);

        var thoughts = coalescer.Append(new string('x', 200));

        Assert.Equal([80, 80], thoughts.Select(t => t.Length));
        Assert.Equal(40, coalescer.Flush()!.Length);
    }

    [Fact]
    public void Whitespace_only_paragraphs_make_no_thought()
    {
        var coalescer = new ThinkingCoalescer(maxChars: 100);

        Assert.Empty(coalescer.Append("\n\n   \n\n"));
        Assert.Null(coalescer.Flush());
    }

    [Fact]
    public void Deltas_report_a_thought_as_it_is_written_and_spell_exactly_the_thought()
    {
        var coalescer = new ThinkingCoalescer(maxChars: 1000);
        var deltas = new List<TextDelta>();

        coalescer.Append("  First I read", deltas);
        coalescer.Append(" the task. \n", deltas);
        Assert.Equal([new TextDelta("thinking:1", 0, "First I read"), new TextDelta("thinking:1", 12, " the task.")], deltas);

        var thoughts = coalescer.Append("\nThen", deltas);

        Assert.Equal(["First I read the task."], thoughts);
        Assert.Equal(new TextDelta("thinking:2", 0, "Then"), deltas[^1]);
        Assert.Equal("Then", coalescer.Flush(deltas));
    }

    /// <summary>
    /// Random texts (words, sentences, blank lines, long runs without spaces, emoji) in random chunks against random
    /// limits: each delta continues its thought exactly where the last one ended (so the text at every moment is a
    /// prefix of the end result, nothing repeated), the deltas of each thought spell it exactly once it completes, and
    /// the thoughts are those of the same text without deltas.
    /// </summary>
    [Fact]
    public void Deltas_are_always_a_prefix_of_their_thought_and_end_equal_to_it()
    {
        for (var seed = 0; seed < 500; seed++)
        {
            var random = new Random(seed);
            var maxChars = random.Next(8, 120);
            var text = RandomText(random);
            var withDeltas = new ThinkingCoalescer(maxChars);
            var without = new ThinkingCoalescer(maxChars);
            var written = new List<System.Text.StringBuilder>();
            var thoughts = new List<string>();
            var expected = new List<string>();
            var deltas = new List<TextDelta>();
            for (var at = 0; at < text.Length;)
            {
                var length = Math.Min(text.Length - at, random.Next(1, 12));
                var chunk = text.Substring(at, length);
                at += length;
                deltas.Clear();
                thoughts.AddRange(withDeltas.Append(chunk, deltas));
                expected.AddRange(without.Append(chunk));
                Apply(deltas, written, seed);
            }

            deltas.Clear();
            if (withDeltas.Flush(deltas) is { } last)
            {
                thoughts.Add(last);
            }

            if (without.Flush() is { } expectedLast)
            {
                expected.Add(expectedLast);
            }

            Apply(deltas, written, seed);
            Assert.Equal(expected, thoughts);
            Assert.Equal(thoughts, written.Select(w => w.ToString()));
        }
    }

    /// <summary>Places each delta where it says, checking it continues its text exactly where the last one ended.</summary>
    private static void Apply(List<TextDelta> deltas, List<System.Text.StringBuilder> written, int seed)
    {
        foreach (var delta in deltas)
        {
            var thought = int.Parse(delta.TextId["thinking:".Length..], System.Globalization.CultureInfo.InvariantCulture) - 1;
            Assert.True(thought == written.Count || thought == written.Count - 1, $"seed {seed}: delta for {delta.TextId} out of order");
            if (thought == written.Count)
            {
                written.Add(new System.Text.StringBuilder());
            }

            Assert.Equal(written[thought].Length, delta.Offset);
            Assert.NotEmpty(delta.Text);
            written[thought].Append(delta.Text);
        }
    }

    private static string RandomText(Random random)
    {
        string[] pieces = ["word", "the", "model", "thinks", ".", "!", "?", " ", " ", " ", "  ", "\n", "\n\n", "\n \n", "\u00e9t\u00e9", "\U0001F600", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "\t"];
        var text = new System.Text.StringBuilder();
        var count = random.Next(1, 80);
        for (var i = 0; i < count; i++)
        {
            text.Append(pieces[random.Next(pieces.Length)]);
        }

        return text.ToString();
    }
}
