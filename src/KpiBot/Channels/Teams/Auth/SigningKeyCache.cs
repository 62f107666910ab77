using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace KpiBot.Channels.Teams.Auth;

/// <summary>
/// The OpenID metadata and signing keys of one issuer family, cached for a day and refetched at once
/// when a token names a key id that is not in the cache (keys rotate). Forced refetches are rate-limited
/// so forged key ids cannot make KpiBot hammer the metadata endpoint.
/// </summary>
/// <remarks>
/// Why not <c>ConfigurationManager.RequestRefresh</c>: since IdentityModel 8 it refreshes in the
/// background and keeps returning the old keys, so the very request that carries a newly rotated key
/// would be refused. KpiBot needs the new key for that request, so it fetches synchronously itself
/// (with the same <see cref="OpenIdConnectConfigurationRetriever"/>).
/// </remarks>
public sealed class SigningKeyCache : IDisposable
{
    /// <summary>How long keys are used before a routine refetch (the Bot Framework SDKs use days).</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(24);

    /// <summary>The shortest time between two forced refetches for unknown key ids (the first is always allowed).</summary>
    public static readonly TimeSpan MinForcedRefreshInterval = TimeSpan.FromSeconds(30);

    private readonly string _metadataUrl;
    private readonly IDocumentRetriever _retriever;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private OpenIdConnectConfiguration? _configuration;
    private DateTimeOffset _fetchedAt;
    private DateTimeOffset? _lastForcedRefresh;

    /// <summary>Creates the cache; nothing is fetched until the first token arrives.</summary>
    public SigningKeyCache(string metadataUrl, IDocumentRetriever retriever, TimeProvider time)
    {
        _metadataUrl = metadataUrl;
        _retriever = retriever;
        _time = time;
    }

    /// <summary>The current configuration, fetched when missing or older than <see cref="MaxAge"/>.</summary>
    public async Task<OpenIdConnectConfiguration> GetAsync(CancellationToken cancellationToken)
    {
        var current = _configuration;
        if (current is not null && _time.GetUtcNow() - _fetchedAt < MaxAge)
        {
            return current;
        }

        return await FetchAsync(force: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Refetches because a token named an unknown key id; returns the cached configuration unchanged
    /// when the last forced refetch was less than <see cref="MinForcedRefreshInterval"/> ago.
    /// </summary>
    public Task<OpenIdConnectConfiguration> RefreshForUnknownKeyAsync(CancellationToken cancellationToken) =>
        FetchAsync(force: true, cancellationToken);

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    private async Task<OpenIdConnectConfiguration> FetchAsync(bool force, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = _time.GetUtcNow();
            if (_configuration is { } current)
            {
                var fresh = now - _fetchedAt < MaxAge;
                var throttled = _lastForcedRefresh is { } last && now - last < MinForcedRefreshInterval;
                if ((!force && fresh) || (force && throttled))
                {
                    return current;
                }
            }

            if (force)
            {
                _lastForcedRefresh = now;
            }

            var configuration = await OpenIdConnectConfigurationRetriever.GetAsync(_metadataUrl, _retriever, cancellationToken).ConfigureAwait(false);
            _configuration = configuration;
            _fetchedAt = now;
            return configuration;
        }
        finally
        {
            _gate.Release();
        }
    }
}
