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
    /// <c>?lastEventId=</c>) and sends its newest id in the header. A malformed header is not the client code's
    /// fault (a browser sends back whatever id it had), so it is answered with <c>stream:reset</c>
    /// (<paramref name="malformedHeader"/>); a malformed query parameter is the caller's, so it is a 400 problem.
    /// </summary>
    public static bool TryRead(
        HttpRequest request, out long afterSequence, out string? malformedHeader, out ProblemHttpResult? problem)
    {
        afterSequence = 0;
        malformedHeader = null;
        problem = null;
        string? header = request.Headers[Header];
        if (!string.IsNullOrEmpty(header))
        {
            if (!long.TryParse(header, NumberStyles.None, CultureInfo.InvariantCulture, out afterSequence))
            {
                malformedHeader = header.Length <= 64 ? header : header[..64];
            }

            return true;
        }

        string? query = request.Query[QueryParameter];
        if (string.IsNullOrEmpty(query) || long.TryParse(query, NumberStyles.None, CultureInfo.InvariantCulture, out afterSequence))
        {
            return true;
        }

        problem = Problems.BadRequest($"{QueryParameter} must be the sequence number of an event (a non-negative integer).");
        return false;
    }
}
