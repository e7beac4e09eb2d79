using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Orleans.Agent.Api.Auth;

/// <summary>
/// The bearer schemes' token handler: validates a JWT as <see cref="JsonWebTokenHandler"/> does, and remembers a token
/// that passed for <see cref="AuthOptions.ValidatedTokenCacheTime"/>, never past its own <c>exp</c>. A client sends the
/// same token on every request and every stream it (re)opens, and validating it (decode, parse, signature, a dozen
/// claims) took 2-5% of the server's core at saturation in the load profiles (docs/benchmarks.md, item 17). Only
/// tokens that passed are kept, keyed by their exact text, signature included, so nothing else can match an entry.
/// What it trades: a signing key withdrawn by the Authority still lets its tokens through for up to the cache time.
/// </summary>
public sealed class CachingTokenHandler(TimeSpan cacheTime, TimeProvider clock) : JsonWebTokenHandler, IDisposable
{
    /// <summary>Tokens remembered at most: past it, a new token is validated but not kept until the cache has compacted.</summary>
    public const int MaxEntries = 10_000;

    private readonly MemoryCache _validated = new(new MemoryCacheOptions { SizeLimit = MaxEntries });

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = clock.GetUtcNow();
        if (_validated.TryGetValue(token, out Entry? hit) && now < hit!.Until)
        {
            return hit.Copy();
        }

        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && cacheTime > TimeSpan.Zero && result.SecurityToken is { } validated)
        {
            // ValidTo is MinValue for a token without exp, which RequireExpirationTime refuses before this point.
            var until = Min(now + cacheTime, new DateTimeOffset(validated.ValidTo, TimeSpan.Zero));
            if (until > now)
            {
                _validated.Set(token, new Entry(result, until), new MemoryCacheEntryOptions { Size = 1, AbsoluteExpiration = until });
            }
        }

        return result;
    }

    /// <summary>The bearer options hold the handler for the life of the process; this is for tests and hosts that end.</summary>
    public void Dispose() => _validated.Dispose();

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>A validated token and how long it may be served from the cache.</summary>
    private sealed class Entry(TokenValidationResult result, DateTimeOffset until)
    {
        public DateTimeOffset Until { get; } = until;

        /// <summary>A result of its own for each request: a claims identity is mutable, and requests must not share one.</summary>
        public TokenValidationResult Copy() => new()
        {
            IsValid = true,
            SecurityToken = result.SecurityToken,
            ClaimsIdentity = result.ClaimsIdentity.Clone(),
            Issuer = result.Issuer,
            TokenType = result.TokenType,
            TokenContext = result.TokenContext,
        };
    }
}
