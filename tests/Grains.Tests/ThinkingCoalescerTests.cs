using Orleans.Agent.Grains.Agents;

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
}
