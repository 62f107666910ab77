using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using KpiBot.Channels.Teams.Schema;
using Microsoft.Extensions.Options;

namespace KpiBot.Channels.Teams.Connector;

/// <summary>The result of one Connector call (after the resilience pipeline's retries).</summary>
/// <param name="StatusCode">The final HTTP status.</param>
/// <param name="ActivityId">The id the Connector gave the posted activity.</param>
/// <param name="RetryAfter">The Connector's Retry-After on a throttled answer.</param>
/// <param name="Error">The error body (Connector error code and message) when it failed.</param>
public sealed record ConnectorResult(HttpStatusCode StatusCode, string? ActivityId, TimeSpan? RetryAfter, string? Error)
{
    /// <summary>True for 200/201/202.</summary>
    public bool Succeeded => (int)StatusCode is >= 200 and < 300;
}

/// <summary>
/// The Bot Connector REST API (v3) over HttpClient, at a service URL taken from an authenticated
/// activity. Reference: https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference.
/// Retries with backoff on 429/412/502/504 honouring Retry-After are done by the HttpClient's
/// resilience handler (registered in <see cref="TeamsHosting"/>); this class adds the bearer token
/// and one retry with a fresh token after a 401.
/// </summary>
public sealed class ConnectorClient
{
    /// <summary>Name of the HttpClient with the Connector's resilience pipeline.</summary>
    public const string HttpClientName = "KpiBot.Teams.Connector";

    private readonly IHttpClientFactory _httpClients;
    private readonly IBotTokenProvider _tokens;
    private readonly TeamsOptions _options;

    /// <summary>Creates the client.</summary>
    public ConnectorClient(IHttpClientFactory httpClients, IBotTokenProvider tokens, IOptions<TeamsOptions> options)
    {
        _httpClients = httpClients;
        _tokens = tokens;
        _options = options.Value;
    }

    /// <summary>
    /// Posts <paramref name="activity"/> to a conversation: as a reply to <paramref name="replyToId"/>
    /// (<c>POST v3/conversations/{id}/activities/{replyToId}</c>) or as a new message
    /// (<c>POST v3/conversations/{id}/activities</c>) when it is null.
    /// </summary>
    public async Task<ConnectorResult> SendAsync(string serviceUrl, string conversationId, string? replyToId, Activity activity, CancellationToken cancellationToken)
    {
        var uri = ActivitiesUri(serviceUrl, conversationId, replyToId);
        var body = JsonSerializer.SerializeToUtf8Bytes(activity, TeamsJsonContext.Default.Activity);

        var result = await PostOnceAsync(uri, body, cancellationToken).ConfigureAwait(false);
        if (result.StatusCode == HttpStatusCode.Unauthorized && _options.IsConfigured)
        {
            // The cached token may have been revoked or the secret rotated: one retry with a fresh token.
            _tokens.Invalidate();
            result = await PostOnceAsync(uri, body, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>
    /// The activities URL of a conversation. The service URL is opaque (it may carry a region and a tenant
    /// path), so the path is appended to it; ids are escaped because they contain <c>:</c>, <c>@</c> and <c>;</c>.
    /// </summary>
    public static Uri ActivitiesUri(string serviceUrl, string conversationId, string? replyToId)
    {
        var root = serviceUrl.EndsWith('/') ? serviceUrl : serviceUrl + "/";
        var path = $"v3/conversations/{Uri.EscapeDataString(conversationId)}/activities";
        if (!string.IsNullOrEmpty(replyToId))
        {
            path += "/" + Uri.EscapeDataString(replyToId);
        }

        return new Uri(new Uri(root, UriKind.Absolute), path);
    }

    private async Task<ConnectorResult> PostOnceAsync(Uri uri, byte[] body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };

        // Without an app id (Development + Emulator) there is no token: the Emulator accepts anonymous replies.
        if (_options.IsConfigured)
        {
            var token = await _tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var client = _httpClients.CreateClient(HttpClientName);
        using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            string? id = null;
            if (response.Content.Headers.ContentLength is not 0)
            {
                try
                {
                    var resource = await response.Content.ReadFromJsonAsync(TeamsJsonContext.Default.ResourceResponse, cancellationToken).ConfigureAwait(false);
                    id = resource?.Id;
                }
                catch (JsonException)
                {
                    // A success without a parseable id (202 with no body) is still a success.
                }
            }

            return new ConnectorResult(response.StatusCode, id, null, null);
        }

        var error = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return new ConnectorResult(response.StatusCode, null, RetryAfterOf(response), error.Length <= 500 ? error : error[..500]);
    }

    private static TimeSpan? RetryAfterOf(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date && response.Headers.Date is { } sent)
        {
            var wait = date - sent;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }
}
