using System.Net.Http.Json;
using KpiBot.Channels.Teams.Schema;
using Microsoft.Extensions.Options;

namespace KpiBot.Channels.Teams.Connector;

/// <summary>Gets the bearer token KpiBot presents to the Bot Connector.</summary>
public interface IBotTokenProvider
{
    /// <summary>A valid access token for <c>https://api.botframework.com</c>, from cache when possible.</summary>
    Task<string> GetTokenAsync(CancellationToken cancellationToken);

    /// <summary>Drops the cached token (after the Connector answered 401 to it).</summary>
    void Invalidate();
}

/// <summary>
/// OAuth 2.0 client credentials for the bot's app registration
/// (https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-authentication#bot-to-connector):
/// POST to the tenant's token endpoint with scope <c>https://api.botframework.com/.default</c>.
/// The token is cached until five minutes before it expires; concurrent callers share one request.
/// </summary>
public sealed class BotTokenProvider : IBotTokenProvider, IDisposable
{
    /// <summary>Name of the HttpClient used for the token endpoint.</summary>
    public const string HttpClientName = "KpiBot.Teams.Token";

    /// <summary>The scope of Bot Connector tokens.</summary>
    public const string ConnectorScope = "https://api.botframework.com/.default";

    /// <summary>How long before expiry a cached token is replaced.</summary>
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private readonly TeamsOptions _options;
    private readonly IHttpClientFactory _httpClients;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (string Token, DateTimeOffset RefreshAt)? _cached;

    /// <summary>Creates the provider.</summary>
    public BotTokenProvider(IOptions<TeamsOptions> options, IHttpClientFactory httpClients, TimeProvider time)
    {
        _options = options.Value;
        _httpClients = httpClients;
        _time = time;
    }

    /// <inheritdoc />
    public async Task<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (_cached is { } hit && _time.GetUtcNow() < hit.RefreshAt)
        {
            return hit.Token;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_cached is { } again && _time.GetUtcNow() < again.RefreshAt)
            {
                return again.Token;
            }

            var (token, lifetime) = await RequestAsync(cancellationToken).ConfigureAwait(false);
            // A token shorter-lived than the margin is used once rather than never.
            var refreshAt = _time.GetUtcNow() + (lifetime > RefreshMargin ? lifetime - RefreshMargin : TimeSpan.Zero);
            _cached = (token, refreshAt);
            return token;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Invalidate() => _cached = null;

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    private async Task<(string Token, TimeSpan Lifetime)> RequestAsync(CancellationToken cancellationToken)
    {
        if (!_options.IsConfigured)
        {
            throw new ConnectorException("The Teams channel has no Teams:AppId, so KpiBot cannot authenticate to the Bot Connector.");
        }

        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = _options.AppId,
            ["client_secret"] = _options.AppPassword,
            ["scope"] = ConnectorScope,
        });
        var client = _httpClients.CreateClient(HttpClientName);
        using var response = await client.PostAsync(_options.ResolvedTokenEndpoint, form, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            // The body is an OAuth error (e.g. invalid_client); it never contains the secret.
            var detail = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new ConnectorException(
                $"The token endpoint {_options.ResolvedTokenEndpoint} answered {(int)response.StatusCode}: {Truncate(detail)}. Check Teams:AppId, Teams:AppPassword and Teams:AppTenantId.",
                response.StatusCode);
        }

        var body = await response.Content.ReadFromJsonAsync(TeamsJsonContext.Default.TokenResponse, cancellationToken).ConfigureAwait(false);
        if (body?.AccessToken is not { Length: > 0 } token)
        {
            throw new ConnectorException($"The token endpoint {_options.ResolvedTokenEndpoint} returned no access_token.", response.StatusCode);
        }

        return (token, TimeSpan.FromSeconds(Math.Max(0, body.ExpiresIn ?? 3600)));
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
