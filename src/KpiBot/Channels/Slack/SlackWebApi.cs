using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Options;

namespace KpiBot.Channels.Slack;

/// <summary>What to do when Slack answers HTTP 429.</summary>
public enum RateLimitMode
{
    /// <summary>Someone is waiting for the answer: wait the <c>Retry-After</c> (if short) and try again.</summary>
    WaitAndRetry,
    /// <summary>A scheduled send: return at once with the <c>Retry-After</c> so the caller can plan.</summary>
    ReturnRetryAfter,
}

/// <summary>The outcome of one Web API call: a response, or an error code and (for 429) how long to wait.</summary>
/// <param name="Response">The parsed response when <see cref="Ok"/>.</param>
/// <param name="Error">Slack's error code (<c>channel_not_found</c>), <c>ratelimited</c>, <c>http_503</c>, or <c>network_error</c>.</param>
/// <param name="RetryAfter">Set when Slack rate-limited the call.</param>
public sealed record SlackApiResult<T>(T? Response, string? Error, TimeSpan? RetryAfter = null)
    where T : SlackApiResponse
{
    /// <summary>True when Slack accepted the call.</summary>
    public bool Ok => Error is null && Response is not null;
}

/// <summary>
/// The Slack Web API over one <see cref="HttpClient"/> (https://api.slack.com/web): JSON bodies with the
/// bot token as Bearer, <c>ok:false</c> errors logged with their code, HTTP 429 honouring
/// <c>Retry-After</c>. Transient failures (5xx, connection errors) are retried with backoff by the
/// resilience handler of the named client <see cref="HttpClientName"/>.
/// </summary>
public sealed class SlackWebApi(IHttpClientFactory httpClientFactory, IOptions<SlackOptions> options, TimeProvider clock, ILogger<SlackWebApi> logger)
{
    /// <summary>The named HttpClient every Slack call goes through (tests swap its primary handler).</summary>
    public const string HttpClientName = "slack";

    /// <summary>A Retry-After longer than this is not waited for inline; the caller gets the error instead.</summary>
    public static readonly TimeSpan MaxInlineWait = TimeSpan.FromSeconds(30);

    private const int MaxRateLimitedAttempts = 3;

    /// <summary>Posts a message to a channel or DM.</summary>
    public Task<SlackApiResult<ChatMessageResponse>> PostMessageAsync(ChatPostMessageRequest request, CancellationToken cancellationToken, RateLimitMode mode = RateLimitMode.WaitAndRetry) =>
        CallAsync("chat.postMessage", request, SlackJson.Default.ChatPostMessageRequest, SlackJson.Default.ChatMessageResponse, mode, cancellationToken);

    /// <summary>Posts a message only one person in the channel sees.</summary>
    public Task<SlackApiResult<ChatEphemeralResponse>> PostEphemeralAsync(ChatPostEphemeralRequest request, CancellationToken cancellationToken) =>
        CallAsync("chat.postEphemeral", request, SlackJson.Default.ChatPostEphemeralRequest, SlackJson.Default.ChatEphemeralResponse, RateLimitMode.WaitAndRetry, cancellationToken);

    /// <summary>Replaces a message KpiBot posted earlier.</summary>
    public Task<SlackApiResult<ChatMessageResponse>> UpdateMessageAsync(ChatUpdateRequest request, CancellationToken cancellationToken) =>
        CallAsync("chat.update", request, SlackJson.Default.ChatUpdateRequest, SlackJson.Default.ChatMessageResponse, RateLimitMode.WaitAndRetry, cancellationToken);

    /// <summary>Opens a modal; must run within three seconds of the trigger.</summary>
    public Task<SlackApiResult<ViewResponse>> OpenViewAsync(ViewsOpenRequest request, CancellationToken cancellationToken) =>
        // A trigger id dies after three seconds: waiting out a rate limit would only waste it.
        CallAsync("views.open", request, SlackJson.Default.ViewsOpenRequest, SlackJson.Default.ViewResponse, RateLimitMode.ReturnRetryAfter, cancellationToken);

    /// <summary>Publishes a user's App Home tab.</summary>
    public Task<SlackApiResult<ViewResponse>> PublishViewAsync(ViewsPublishRequest request, CancellationToken cancellationToken) =>
        CallAsync("views.publish", request, SlackJson.Default.ViewsPublishRequest, SlackJson.Default.ViewResponse, RateLimitMode.WaitAndRetry, cancellationToken);

    /// <summary>Opens (or finds) the DM between KpiBot and a user.</summary>
    public Task<SlackApiResult<ConversationsOpenResponse>> OpenConversationAsync(string userId, CancellationToken cancellationToken, RateLimitMode mode = RateLimitMode.WaitAndRetry) =>
        CallAsync("conversations.open", new ConversationsOpenRequest(userId), SlackJson.Default.ConversationsOpenRequest, SlackJson.Default.ConversationsOpenResponse, mode, cancellationToken);

    /// <summary>A user's names and time zone (scope users:read). users.info takes form arguments, not JSON.</summary>
    public Task<SlackApiResult<UsersInfoResponse>> GetUserAsync(string userId, CancellationToken cancellationToken) =>
        SendAsync(
            "users.info",
            () => new FormUrlEncodedContent([new("user", userId)]),
            options.Value.BotToken,
            SlackJson.Default.UsersInfoResponse,
            RateLimitMode.WaitAndRetry,
            cancellationToken);

    /// <summary>The Socket Mode WebSocket URL; authenticated with the app-level token, not the bot token.</summary>
    public Task<SlackApiResult<AppsConnectionsOpenResponse>> OpenSocketConnectionAsync(CancellationToken cancellationToken) =>
        SendAsync(
            "apps.connections.open",
            () => new FormUrlEncodedContent([]),
            options.Value.AppToken,
            SlackJson.Default.AppsConnectionsOpenResponse,
            RateLimitMode.ReturnRetryAfter,
            cancellationToken);

    /// <summary>
    /// Posts to a <c>response_url</c> (no token: the URL is the credential). Only Slack's own hosts, or the
    /// configured API host, are accepted so a payload can never make KpiBot post elsewhere.
    /// </summary>
    public async Task<SlackApiResult<SlackApiResponse>> PostToResponseUrlAsync(string responseUrl, ResponseUrlMessage message, CancellationToken cancellationToken)
    {
        if (!IsTrustedResponseUrl(responseUrl, options.Value.GetApiBaseUri()))
        {
            logger.LogWarning("Refused to post to response_url {Url}: not a Slack address", responseUrl);
            return new(null, "untrusted_response_url");
        }
        try
        {
            var client = httpClientFactory.CreateClient(HttpClientName);
            using var response = await client.PostAsync(new Uri(responseUrl), JsonContent.Create(message, SlackJson.Default.ResponseUrlMessage), cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return new(new SlackApiResponse { Ok = true }, null);
            }
            var error = response.StatusCode == HttpStatusCode.NotFound ? "expired_url" : $"http_{(int)response.StatusCode}";
            logger.LogWarning("Posting to a response_url failed: {Error}", error);
            return new(null, error, RetryAfterOf(response));
        }
        catch (Exception ex) when (IsTransportFailure(ex) && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Posting to a response_url failed");
            return new(null, "network_error");
        }
    }

    /// <summary>True for https URLs on slack.com (or its subdomains) and for the configured API host.</summary>
    public static bool IsTrustedResponseUrl(string url, Uri apiBase)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return false;
        }
        if (uri.Scheme == Uri.UriSchemeHttps
            && (uri.Host.Equals("slack.com", StringComparison.OrdinalIgnoreCase) || uri.Host.EndsWith(".slack.com", StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }
        return uri.Scheme == apiBase.Scheme && uri.Authority.Equals(apiBase.Authority, StringComparison.OrdinalIgnoreCase);
    }

    private Task<SlackApiResult<TResponse>> CallAsync<TRequest, TResponse>(
        string method, TRequest request, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, RateLimitMode mode, CancellationToken cancellationToken)
        where TResponse : SlackApiResponse =>
        SendAsync(method, () => JsonContent.Create(request, requestType), options.Value.BotToken, responseType, mode, cancellationToken);

    private async Task<SlackApiResult<TResponse>> SendAsync<TResponse>(
        string method, Func<HttpContent> content, string token, JsonTypeInfo<TResponse> responseType, RateLimitMode mode, CancellationToken cancellationToken)
        where TResponse : SlackApiResponse
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            logger.LogError("Slack {Method} not called: no token configured (Slack:BotToken / Slack:AppToken)", method);
            return new(null, "not_configured");
        }
        var client = httpClientFactory.CreateClient(HttpClientName);
        var uri = new Uri(options.Value.GetApiBaseUri(), method);
        for (var attempt = 1; ; attempt++)
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content() };
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            HttpResponseMessage response;
            try
            {
                response = await client.SendAsync(message, cancellationToken);
            }
            catch (Exception ex) when (IsTransportFailure(ex) && !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Slack {Method} failed after retries", method);
                return new(null, "network_error");
            }
            using (response)
            {
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    var wait = RetryAfterOf(response) ?? TimeSpan.FromSeconds(1);
                    logger.LogWarning("Slack {Method} rate-limited; Retry-After {Seconds} s (attempt {Attempt})", method, wait.TotalSeconds, attempt);
                    if (mode == RateLimitMode.ReturnRetryAfter || wait > MaxInlineWait || attempt >= MaxRateLimitedAttempts)
                    {
                        return new(null, "ratelimited", wait);
                    }
                    await Task.Delay(wait, clock, cancellationToken);
                    continue;
                }
                if (!response.IsSuccessStatusCode)
                {
                    logger.LogWarning("Slack {Method} answered HTTP {Status}", method, (int)response.StatusCode);
                    return new(null, $"http_{(int)response.StatusCode}");
                }
                TResponse? parsed;
                try
                {
                    parsed = await response.Content.ReadFromJsonAsync(responseType, cancellationToken);
                }
                catch (JsonException ex)
                {
                    logger.LogWarning(ex, "Slack {Method} answered with JSON KpiBot cannot read", method);
                    return new(null, "invalid_response");
                }
                if (parsed is null || !parsed.Ok)
                {
                    var error = parsed?.Error ?? "unknown_error";
                    // ok:false is an HTTP 200: the code tells what to fix (missing_scope names the scope).
                    logger.LogWarning("Slack {Method} failed: {Error}{Needed}", method, error, parsed?.Needed is { } needed ? $" (needs scope {needed})" : "");
                    return new(parsed, error);
                }
                if (!string.IsNullOrEmpty(parsed.Warning))
                {
                    logger.LogInformation("Slack {Method} warning: {Warning}", method, parsed.Warning);
                }
                return new(parsed, null);
            }
        }
    }

    /// <summary>
    /// Failures of the call itself after the resilience handler gave up: connection errors, timeouts
    /// (Polly's <c>TimeoutRejectedException</c>) and an open circuit (<c>BrokenCircuitException</c>).
    /// </summary>
    private static bool IsTransportFailure(Exception ex) =>
        ex is HttpRequestException or TaskCanceledException or TimeoutException or Polly.ExecutionRejectedException;

    private TimeSpan? RetryAfterOf(HttpResponseMessage response)
    {
        var retryAfter = response.Headers.RetryAfter;
        if (retryAfter?.Delta is { } delta)
        {
            return delta;
        }
        if (retryAfter?.Date is { } date)
        {
            var wait = date - clock.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }
}
