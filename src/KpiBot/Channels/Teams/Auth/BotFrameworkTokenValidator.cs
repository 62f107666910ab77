using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace KpiBot.Channels.Teams.Auth;

/// <summary>
/// Validates the <c>Authorization: Bearer</c> JWT the Bot Connector puts on every request to
/// <c>/api/messages</c>: signature (keys from the OpenID metadata, refetched when a token names an
/// unknown key id), issuer (<see cref="BotFrameworkIssuers"/>), audience = the bot's app id, and
/// lifetime with five minutes of clock skew. It never looks at the request body.
/// See https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-authentication.
/// </summary>
public sealed class BotFrameworkTokenValidator : IDisposable
{
    /// <summary>Clock skew the Bot Framework SDKs allow on <c>nbf</c>/<c>exp</c>.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>Name of the HttpClient that fetches OpenID metadata and keys.</summary>
    public const string HttpClientName = "KpiBot.Teams.OpenId";

    private static readonly string[] AllowedAlgorithms =
        [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512];

    private readonly TeamsOptions _options;
    private readonly TimeProvider _time;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly SigningKeyCache _botFrameworkKeys;
    private readonly SigningKeyCache _entraKeys;

    /// <summary>Creates the validator; metadata is fetched lazily on the first request.</summary>
    public BotFrameworkTokenValidator(IOptions<TeamsOptions> options, IHttpClientFactory httpClients, TimeProvider time)
    {
        _options = options.Value;
        _time = time;
        var retriever = new HttpDocumentRetriever(httpClients.CreateClient(HttpClientName)) { RequireHttps = true };
        _botFrameworkKeys = new SigningKeyCache(_options.OpenIdMetadataUrl, retriever, time);
        _entraKeys = new SigningKeyCache(_options.EntraOpenIdMetadataUrl, retriever, time);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _botFrameworkKeys.Dispose();
        _entraKeys.Dispose();
    }

    /// <summary>Validates the raw <c>Authorization</c> header value.</summary>
    public async Task<TokenValidation> ValidateAsync(string? authorizationHeader, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(authorizationHeader))
        {
            return TokenValidation.Refused("no Authorization header");
        }

        const string scheme = "Bearer ";
        if (!authorizationHeader.StartsWith(scheme, StringComparison.Ordinal))
        {
            return TokenValidation.Refused("the Authorization scheme is not 'Bearer'");
        }

        var raw = authorizationHeader[scheme.Length..].Trim();
        if (!_handler.CanReadToken(raw))
        {
            return TokenValidation.Refused("the bearer token is not a JWT");
        }

        var unverified = new JsonWebToken(raw);
        var tenantClaim = unverified.TryGetPayloadValue<string>("tid", out var tid) ? tid : null;
        var issuerKind = BotFrameworkIssuers.Classify(unverified.Issuer, tenantClaim, _options.AppTenantId);
        if (issuerKind == IssuerKind.Unknown)
        {
            return TokenValidation.Refused($"the issuer '{unverified.Issuer}' is not trusted");
        }

        var keys = issuerKind == IssuerKind.BotFramework ? _botFrameworkKeys : _entraKeys;
        OpenIdConnectConfiguration configuration;
        try
        {
            configuration = await keys.GetAsync(cancellationToken).ConfigureAwait(false);
            if (!HasKey(configuration, unverified.Kid))
            {
                // Keys rotate: a token naming a key id we have never seen triggers one (rate-limited) refetch.
                configuration = await keys.RefreshForUnknownKeyAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or HttpRequestException)
        {
            return TokenValidation.Refused($"the signing keys could not be fetched: {ex.Message}");
        }

        if (!HasKey(configuration, unverified.Kid))
        {
            return TokenValidation.Refused($"no published signing key has id '{unverified.Kid}'");
        }

        var result = await _handler.ValidateTokenAsync(raw, Parameters(configuration, unverified.Issuer)).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return TokenValidation.Refused(result.Exception?.Message ?? "the token is invalid");
        }

        var serviceUrl = unverified.TryGetPayloadValue<string>("serviceurl", out var url) ? url : null;
        return new TokenValidation(new VerifiedToken(issuerKind, serviceUrl, EndorsementsOf(configuration, unverified.Kid)), null);
    }

    private TokenValidationParameters Parameters(OpenIdConnectConfiguration configuration, string issuer) => new()
    {
        ValidateIssuer = true,
        ValidIssuer = issuer, // already checked against BotFrameworkIssuers; pinned so the handler re-checks it
        ValidateAudience = true,
        ValidAudience = _options.AppId,
        ValidateLifetime = true,
        RequireExpirationTime = true,
        ClockSkew = ClockSkew,
        LifetimeValidator = ValidateLifetime,
        ValidateIssuerSigningKey = true,
        IssuerSigningKeys = configuration.SigningKeys,
        TryAllIssuerSigningKeys = false,
        ValidAlgorithms = AllowedAlgorithms,
    };

    // The injected clock (not DateTime.UtcNow) decides whether the token is current, so tests can pin time.
    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        if (expires is null)
        {
            return false;
        }

        if (notBefore is { } nbf && now + ClockSkew < nbf)
        {
            return false;
        }

        return now - ClockSkew <= expires.Value;
    }

    private static bool HasKey(OpenIdConnectConfiguration configuration, string? kid) =>
        !string.IsNullOrEmpty(kid) && configuration.SigningKeys.Any(k => string.Equals(k.KeyId, kid, StringComparison.Ordinal));

    /// <summary>The endorsements of the key with id <paramref name="kid"/> (an extension member of the Bot Framework's JWKS).</summary>
    internal static IReadOnlyList<string> EndorsementsOf(OpenIdConnectConfiguration configuration, string kid)
    {
        var key = configuration.JsonWebKeySet?.Keys.FirstOrDefault(k => string.Equals(k.Kid, kid, StringComparison.Ordinal));
        if (key is null || !key.AdditionalData.TryGetValue("endorsements", out var value) || value is null)
        {
            return [];
        }

        return value switch
        {
            JsonElement { ValueKind: JsonValueKind.Array } array => [.. array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)],
            IEnumerable<object> list => [.. list.Select(o => o?.ToString()).OfType<string>()],
            string single => [single],
            _ => [],
        };
    }
}
