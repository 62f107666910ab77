using KpiBot.Conversation;
using KpiBot.Domain;
using Microsoft.Extensions.Caching.Memory;

namespace KpiBot.Channels.Slack;

/// <summary>Who a Slack user is, as far as KpiBot needs: a name to show and their time zone.</summary>
public sealed record SlackIdentity(string DisplayName, string? TimeZoneId);

/// <summary>
/// Looks people up with users.info and caches the answer for an hour (users.info is Tier 4, and a
/// person's name or zone rarely changes), so a burst of <c>/kpi log</c> costs one lookup per person.
/// </summary>
public sealed class SlackIdentityResolver(SlackWebApi api, IMemoryCache cache)
{
    /// <summary>How long a looked-up identity is reused.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromHours(1);

    /// <summary>How long a failed lookup is remembered, so an outage does not turn every message into a call.</summary>
    public static readonly TimeSpan FailureCacheFor = TimeSpan.FromMinutes(1);

    /// <summary>The workspace id of a Slack team.</summary>
    public static string WorkspaceIdOf(string teamId) => "slack:" + teamId;

    /// <summary>The person's identity; <paramref name="fallbackName"/> (the payload's user name) when Slack cannot say.</summary>
    public async Task<SlackIdentity> ResolveAsync(string teamId, string userId, string? fallbackName, CancellationToken cancellationToken)
    {
        var key = $"slack-user:{teamId}:{userId}";
        if (cache.TryGetValue(key, out SlackIdentity? known) && known is not null)
        {
            return known;
        }
        var result = await api.GetUserAsync(userId, cancellationToken);
        var user = result.Ok ? result.Response!.User : null;
        var name = FirstNonEmpty(user?.Profile?.DisplayName, user?.Profile?.RealName, user?.RealName, user?.Name, fallbackName, userId)!;
        var identity = new SlackIdentity(name, string.IsNullOrWhiteSpace(user?.Tz) ? null : user!.Tz);
        cache.Set(key, identity, result.Ok ? CacheFor : FailureCacheFor);
        return identity;
    }

    private static string? FirstNonEmpty(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
}

/// <summary>Where in Slack a message came from, and how to classify it.</summary>
public static class SlackConversations
{
    /// <summary>
    /// The kind of a conversation from its id and the hints Slack gives: <c>D…</c> is a DM, <c>mpim</c>
    /// / <c>mpdm-…</c> a group DM, anything else a channel (public or private: both are seen by many).
    /// </summary>
    public static ConversationKind KindOf(string? channelId, string? channelType = null, string? channelName = null)
    {
        if (channelType == "im" || channelName == "directmessage" || (channelId?.StartsWith('D') ?? false))
        {
            return ConversationKind.Personal;
        }
        if (channelType == "mpim" || (channelName?.StartsWith("mpdm-", StringComparison.Ordinal) ?? false))
        {
            return ConversationKind.Group;
        }
        return ConversationKind.Channel;
    }
}

/// <summary>
/// Remembers every channel and DM KpiBot is used in (<see cref="IConversationDirectory"/>) so nudges and
/// digests can be posted there later. Writes only when something changed, so logging stays one write.
/// </summary>
public sealed class SlackConversationRecorder(IConversationDirectory directory, TimeProvider clock, ILogger<SlackConversationRecorder> logger)
{
    /// <summary>Records (or re-activates) the conversation a verified message came from.</summary>
    public void Record(string teamId, string channelId, ConversationKind kind, string? name, string userId)
    {
        var workspaceId = SlackIdentityResolver.WorkspaceIdOf(teamId);
        var key = ConversationAddress.KeyOf(Platform.Slack, workspaceId, channelId);
        try
        {
            var known = directory.Find(key);
            var personalUser = kind == ConversationKind.Personal ? userId : null;
            if (known is { Active: true } && known.Name == (name ?? known.Name) && known.UserId == personalUser)
            {
                return;
            }
            directory.Save(new ConversationAddress(
                key, Platform.Slack, workspaceId, channelId, kind, name ?? known?.Name, ServiceUrl: null, personalUser,
                new Dictionary<string, string> { ["team_id"] = teamId }, Active: true, clock.GetUtcNow()));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Losing an address only delays a nudge; it must never fail the user's command.
            logger.LogWarning(ex, "Could not record Slack conversation {Key}", key);
        }
    }
}
