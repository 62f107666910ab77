using KpiBot.Conversation;
using KpiBot.Domain;
using KpiBot.Replies;

namespace KpiBot.Channels;

/// <summary>
/// Where the bot can post later without being asked: a Teams conversation reference or a Slack
/// channel/DM. Platform adapters record one whenever they see a verified message or an install.
/// </summary>
/// <param name="Key">Stable key: platform + workspace + conversation id.</param>
/// <param name="ConversationId">Teams conversation id (<c>19:…@thread.tacv2</c>, <c>a:…</c>) or Slack channel id (<c>C…</c>, <c>D…</c>).</param>
/// <param name="ServiceUrl">Teams only: the serviceUrl from an authenticated activity (never from anywhere else).</param>
/// <param name="UserId">For personal conversations, the platform user id of the person.</param>
/// <param name="PlatformData">Opaque platform extras (Teams: bot id, tenant id, channelData JSON) needed to post.</param>
/// <param name="Active">False once the platform said the bot was removed or blocked (Teams 403, Slack channel_not_found / not_in_channel).</param>
public sealed record ConversationAddress(
    string Key,
    Platform Platform,
    string WorkspaceId,
    string ConversationId,
    ConversationKind Kind,
    string? Name,
    string? ServiceUrl,
    string? UserId,
    IReadOnlyDictionary<string, string> PlatformData,
    bool Active,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The canonical key for a conversation.</summary>
    public static string KeyOf(Platform platform, string workspaceId, string conversationId) =>
        $"{platform}:{workspaceId}:{conversationId}".ToLowerInvariant();
}

/// <summary>Stores the places the bot can post to (for nudges, digests and reminders).</summary>
public interface IConversationDirectory
{
    /// <summary>Inserts or refreshes an address (and re-activates it).</summary>
    void Save(ConversationAddress address);

    /// <summary>An address by key.</summary>
    ConversationAddress? Find(string key);

    /// <summary>The personal (1:1) conversation of a user, if the bot has one.</summary>
    ConversationAddress? FindPersonal(Platform platform, string workspaceId, string userId);

    /// <summary>Every address of a workspace.</summary>
    IReadOnlyList<ConversationAddress> List(string workspaceId);

    /// <summary>Marks an address inactive so nothing is sent there again until it is seen anew.</summary>
    void MarkInactive(string key, string reason, DateTimeOffset at);
}

/// <summary>What happened to one outbound send.</summary>
public enum SendStatus
{
    /// <summary>The platform accepted the message.</summary>
    Sent,
    /// <summary>Throttled or a transient failure after retries: try again after <see cref="SendOutcome.RetryAfter"/>.</summary>
    RetryLater,
    /// <summary>The bot was removed or blocked: the address is now inactive; do not retry.</summary>
    ConversationGone,
    /// <summary>A permanent failure (bad request, auth misconfiguration); do not retry.</summary>
    Failed,
}

/// <summary>The outcome of <see cref="IProactiveSender.SendAsync"/>.</summary>
public sealed record SendOutcome(SendStatus Status, string? MessageId = null, TimeSpan? RetryAfter = null, string? Error = null);

/// <summary>Posts a neutral reply to a stored address on one platform (renders it on the way).</summary>
public interface IProactiveSender
{
    /// <summary>The platform this sender posts to.</summary>
    Platform Platform { get; }

    /// <summary>Sends <paramref name="reply"/> to <paramref name="to"/>; never throws for platform errors.</summary>
    Task<SendOutcome> SendAsync(ConversationAddress to, Reply reply, CancellationToken cancellationToken);
}
