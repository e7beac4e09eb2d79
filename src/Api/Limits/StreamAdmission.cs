using Microsoft.Extensions.Options;

namespace Orleans.Agent.Api.Limits;

/// <summary>
/// The streams this process holds open, in all and per user (<see cref="ApiLimitsOptions.StreamsPerProcess"/>,
/// <see cref="ApiLimitsOptions.StreamsPerUser"/>). Counted here rather than by ASP.NET Core's rate limiter: for a
/// stream, the limiter's middleware stays suspended for the connection's life with a concurrency lease from each of
/// two limiters, about 0.45 KiB per idle connection; a ticket from here is one small object.
/// </summary>
public sealed class StreamAdmission(IOptions<ApiLimitsOptions> options)
{
    private readonly Dictionary<string, int> _perUser = new(StringComparer.Ordinal);
    private int _total;

    /// <summary>Streams open now.</summary>
    public int Open
    {
        get
        {
            lock (_perUser)
            {
                return _total;
            }
        }
    }

    /// <summary>A ticket to dispose when the stream ends, or null when the limit named in <paramref name="refusedBy"/> is reached.</summary>
    public IDisposable? TryAdmit(string userId, out string? refusedBy)
    {
        var limits = options.Value;
        lock (_perUser)
        {
            var mine = _perUser.GetValueOrDefault(userId);
            refusedBy = _total >= limits.StreamsPerProcess ? nameof(ApiLimitsOptions.StreamsPerProcess)
                : mine >= limits.StreamsPerUser ? nameof(ApiLimitsOptions.StreamsPerUser)
                : null;
            if (refusedBy is not null)
            {
                return null;
            }

            _perUser[userId] = mine + 1;
            _total++;
        }

        return new Ticket(this, userId);
    }

    private void Release(string userId)
    {
        lock (_perUser)
        {
            var left = _perUser[userId] - 1;
            if (left == 0)
            {
                _perUser.Remove(userId); // idle users leave nothing behind
            }
            else
            {
                _perUser[userId] = left;
            }

            _total--;
        }
    }

    private sealed class Ticket(StreamAdmission admission, string userId) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                admission.Release(userId);
            }
        }
    }
}
