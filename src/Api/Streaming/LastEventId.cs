using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Orleans.Agent.Api.Http;

namespace Orleans.Agent.Api.Streaming;

/// <summary>Where a stream resumes: after the sequence in <c>Last-Event-ID</c> or <c>?lastEventId=</c>, else from the start.</summary>
public static class LastEventId
{
    public const string Header = "Last-Event-ID";
    public const string QueryParameter = "lastEventId";

    /// <summary>
    /// The header wins over the query: a browser reconnecting keeps the URL it first opened (with its old
    /// <c>?lastEventId=</c>) and sends its newest id in the header.
    /// </summary>
    public static bool TryRead(HttpRequest request, out long afterSequence, out ProblemHttpResult? problem)
    {
        afterSequence = 0;
        problem = null;
        string? value = request.Headers[Header];
        var source = Header;
        if (string.IsNullOrEmpty(value))
        {
            value = request.Query[QueryParameter];
            source = QueryParameter;
        }

        if (string.IsNullOrEmpty(value))
        {
            return true;
        }

        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out afterSequence))
        {
            return true;
        }

        problem = Problems.BadRequest($"{source} must be the sequence number of an event (a non-negative integer).");
        return false;
    }
}
