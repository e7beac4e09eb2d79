namespace Orleans.Agent.Tests;

/// <summary>Waiting on conditions with a deadline, never on timing luck.</summary>
internal static class Poll
{
    /// <summary>Polls <paramref name="condition"/> until it holds; at the deadline fails, saying what <paramref name="describe"/> sees.</summary>
    public static async Task Until(Func<Task<bool>> condition, TimeSpan deadline, Func<Task<string>>? describe = null)
    {
        var until = DateTime.UtcNow + deadline;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, "The condition was not met before the deadline. " + (describe is null ? "" : await describe()));
            await Task.Delay(10);
        }
    }
}
