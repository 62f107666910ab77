using KpiBot.Domain;
using KpiBot.Rendering;
using KpiBot.Replies;

namespace KpiBot.Channels.Slack;

/// <summary>
/// Posts nudges, digests and reminders to a stored Slack conversation with chat.postMessage. Never waits
/// out a rate limit itself: a 429 becomes <see cref="SendStatus.RetryLater"/> with Slack's Retry-After,
/// so the scheduler can pace thousands of channels; a conversation KpiBot can no longer post in is
/// marked inactive so it is not tried again.
/// </summary>
public sealed class SlackProactiveSender(
    SlackWebApi api,
    IBlockKitRenderer renderer,
    IConversationDirectory directory,
    TimeProvider clock,
    ILogger<SlackProactiveSender> logger) : IProactiveSender
{
    /// <summary>Error codes that mean the conversation is gone for KpiBot (removed, archived, deactivated).</summary>
    public static readonly IReadOnlySet<string> GoneErrors = new HashSet<string>(StringComparer.Ordinal)
    {
        "channel_not_found", "not_in_channel", "is_archived", "account_inactive", "user_not_found", "user_disabled", "team_access_not_granted",
    };

    /// <inheritdoc />
    public Platform Platform => Platform.Slack;

    /// <inheritdoc />
    public async Task<SendOutcome> SendAsync(ConversationAddress to, Reply reply, CancellationToken cancellationToken)
    {
        if (to.Platform != Platform.Slack)
        {
            return new SendOutcome(SendStatus.Failed, Error: $"address {to.Key} is on {to.Platform}, not Slack");
        }
        var message = SlackBlockKitLimits.Fit(renderer.Render(reply));
        var result = await api.PostMessageAsync(new ChatPostMessageRequest(to.ConversationId, message.Text, message.Blocks), cancellationToken, RateLimitMode.ReturnRetryAfter);
        if (result.Ok)
        {
            return new SendOutcome(SendStatus.Sent, MessageId: result.Response!.Ts);
        }
        switch (result.Error)
        {
            case "ratelimited":
                return new SendOutcome(SendStatus.RetryLater, RetryAfter: result.RetryAfter ?? TimeSpan.FromSeconds(1), Error: "ratelimited");
            case { } gone when GoneErrors.Contains(gone):
                logger.LogInformation("Slack conversation {Key} is gone ({Error}); marking it inactive", to.Key, gone);
                directory.MarkInactive(to.Key, gone, clock.GetUtcNow());
                return new SendOutcome(SendStatus.ConversationGone, Error: gone);
            case "network_error" or "internal_error" or "fatal_error" or "service_unavailable" or "request_timeout":
            case { } http when http.StartsWith("http_5", StringComparison.Ordinal):
                return new SendOutcome(SendStatus.RetryLater, RetryAfter: TimeSpan.FromSeconds(30), Error: result.Error);
            default:
                return new SendOutcome(SendStatus.Failed, Error: result.Error);
        }
    }
}
