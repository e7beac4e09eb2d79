using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.Tokens;
using Orleans.Agent.Api.Auth;

namespace Orleans.Agent.Tests;

/// <summary>
/// The validated-token cache. A token is checked against parameters that refuse it (a wrong key) to tell a cached answer
/// from a fresh validation: only the cache can say yes then.
/// </summary>
public sealed class CachingTokenHandlerTests : IDisposable
{
    private const string Key = TestTokens.DevelopmentKey;
    private static readonly TimeSpan CacheTime = TimeSpan.FromMinutes(1);

    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);
    private readonly CachingTokenHandler _handler;

    public CachingTokenHandlerTests() => _handler = new CachingTokenHandler(CacheTime, _clock);

    public void Dispose() => _handler.Dispose();

    [Fact]
    public async Task A_valid_token_is_accepted_again_without_validation_until_the_cache_time_ends()
    {
        var token = TestTokens.Create("alice", Key);
        Assert.True((await _handler.ValidateTokenAsync(token, Parameters(Key))).IsValid);

        _clock.Advance(CacheTime - TimeSpan.FromSeconds(1));
        var cached = await _handler.ValidateTokenAsync(token, Parameters(WrongKey));
        Assert.True(cached.IsValid);
        Assert.Equal("alice", cached.ClaimsIdentity.FindFirst("sub")?.Value);

        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.False((await _handler.ValidateTokenAsync(token, Parameters(WrongKey))).IsValid);
    }

    [Fact]
    public async Task A_token_is_never_served_from_the_cache_past_its_expiry()
    {
        var token = TestTokens.Create("alice", Key, expires: _clock.GetUtcNow().UtcDateTime.AddSeconds(20));
        Assert.True((await _handler.ValidateTokenAsync(token, Parameters(Key))).IsValid);

        _clock.Advance(TimeSpan.FromSeconds(21)); // inside the cache time, past exp
        Assert.False((await _handler.ValidateTokenAsync(token, Parameters(WrongKey))).IsValid);
    }

    [Fact]
    public async Task A_refused_token_is_not_remembered()
    {
        var token = TestTokens.Create("alice", Key);
        Assert.False((await _handler.ValidateTokenAsync(token, Parameters(WrongKey))).IsValid);
        Assert.True((await _handler.ValidateTokenAsync(token, Parameters(Key))).IsValid);
    }

    [Fact]
    public async Task A_token_that_differs_in_any_character_is_validated_on_its_own()
    {
        var token = TestTokens.Create("alice", Key);
        Assert.True((await _handler.ValidateTokenAsync(token, Parameters(Key))).IsValid);

        var tampered = token[..^2] + (token[^2] == 'A' ? 'B' : 'A') + token[^1];
        Assert.False((await _handler.ValidateTokenAsync(tampered, Parameters(Key))).IsValid);
    }

    [Fact]
    public async Task Each_request_gets_an_identity_of_its_own()
    {
        var token = TestTokens.Create("alice", Key);
        await _handler.ValidateTokenAsync(token, Parameters(Key));
        var first = await _handler.ValidateTokenAsync(token, Parameters(Key));
        first.ClaimsIdentity.AddClaim(new Claim("role", "admin"));

        var second = await _handler.ValidateTokenAsync(token, Parameters(Key));
        Assert.Null(second.ClaimsIdentity.FindFirst("role"));
    }

    [Fact]
    public async Task A_zero_cache_time_validates_every_time()
    {
        using var handler = new CachingTokenHandler(TimeSpan.Zero, _clock);
        var token = TestTokens.Create("alice", Key);
        Assert.True((await handler.ValidateTokenAsync(token, Parameters(Key))).IsValid);
        Assert.False((await handler.ValidateTokenAsync(token, Parameters(WrongKey))).IsValid);
    }

    private const string WrongKey = "another-signing-key-that-is-long-enough-0123456789";

    private static TokenValidationParameters Parameters(string key) => new()
    {
        ValidIssuer = "orleans-agent",
        ValidAudience = "orleans-agent",
        IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)),
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        RequireExpirationTime = true,
        ClockSkew = TimeSpan.Zero,
    };

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
