using System.Threading.Channels;
using Orleans.Agent.Events;
using Orleans.Agent.Executions;

namespace Orleans.Agent.Tests;

/// <summary>What several grain tests need.</summary>
internal static class GrainTestHelpers
{
    /// <summary>Every retained event of the log, paging as an API node does.</summary>
    public static async Task<List<AgentEvent>> ReadAll(this IExecutionGrain grain, string userId)
    {
        var events = new List<AgentEvent>();
        EventPage page;
        do
        {
            page = (await grain.ReadEvents(userId, events.Count, 1000))!;
            events.AddRange(page.Events);
        }
        while (page.HasMore);

        return events;
    }

    /// <summary>Everything read up to and including the terminal event, or a timeout failure.</summary>
    public static async Task<List<AgentEvent>> UntilTerminal(this ChannelReader<AgentEvent> reader, TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        var events = new List<AgentEvent>();
        await foreach (var evt in reader.ReadAllAsync(timeout.Token))
        {
            events.Add(evt);
            if (evt.IsTerminal)
            {
                break;
            }
        }

        return events;
    }
}
