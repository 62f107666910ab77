using KpiBot.Channels.Teams.Schema;
using KpiBot.Domain;

namespace KpiBot.Channels.Teams.Adapter;

/// <summary>
/// Builds the <see cref="ConversationAddress"/> KpiBot stores so it can post later (nudges, digests).
/// Only ever called with activities whose token was verified, so the service URL is trustworthy.
/// </summary>
public static class ConversationReferences
{
    /// <summary>PlatformData key: the bot's channel account id (<c>28:&lt;appId&gt;</c>).</summary>
    public const string BotIdKey = "botId";

    /// <summary>PlatformData key: the bot's display name.</summary>
    public const string BotNameKey = "botName";

    /// <summary>PlatformData key: the tenant id.</summary>
    public const string TenantIdKey = "tenantId";

    /// <summary>PlatformData key: the Teams team id (channel conversations).</summary>
    public const string TeamIdKey = "teamId";

    /// <summary>PlatformData key: the user's channel account id (<c>29:…</c>, personal conversations).</summary>
    public const string UserAccountIdKey = "userAccountId";

    /// <summary>
    /// The conversation to post to later. A channel thread id (<c>19:…@thread.tacv2;messageid=…</c>) is
    /// cut to the channel itself, so a nudge starts a new post instead of answering an old thread.
    /// </summary>
    public static string BaseConversationId(string conversationId)
    {
        var cut = conversationId.IndexOf(";messageid=", StringComparison.OrdinalIgnoreCase);
        return cut < 0 ? conversationId : conversationId[..cut];
    }

    /// <summary>The stored key of the conversation an activity belongs to, or null without workspace/conversation.</summary>
    public static string? KeyOf(Activity activity) =>
        TeamsActivityMapper.WorkspaceIdOf(activity) is { } workspace && activity.Conversation?.Id is { Length: > 0 } id
            ? ConversationAddress.KeyOf(Platform.Teams, workspace, BaseConversationId(id))
            : null;

    /// <summary>The address of the activity's conversation, or null when it lacks a tenant, conversation or service URL.</summary>
    public static ConversationAddress? AddressOf(Activity activity, DateTimeOffset at)
    {
        if (TeamsActivityMapper.WorkspaceIdOf(activity) is not { } workspace
            || activity.Conversation?.Id is not { Length: > 0 } conversationId
            || activity.ServiceUrl is not { Length: > 0 } serviceUrl)
        {
            return null;
        }

        var id = BaseConversationId(conversationId);
        var kind = TeamsActivityMapper.KindOf(activity);
        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        Put(data, BotIdKey, activity.Recipient?.Id);
        Put(data, BotNameKey, activity.Recipient?.Name);
        Put(data, TenantIdKey, TeamsActivityMapper.TenantOf(activity));
        Put(data, TeamIdKey, activity.ChannelData?.Team?.Id);
        if (kind == Conversation.ConversationKind.Personal)
        {
            Put(data, UserAccountIdKey, activity.From?.Id);
        }

        var name = activity.Conversation.Name ?? activity.ChannelData?.Channel?.Name ?? activity.ChannelData?.Team?.Name;
        return new ConversationAddress(
            ConversationAddress.KeyOf(Platform.Teams, workspace, id),
            Platform.Teams,
            workspace,
            id,
            kind,
            name,
            serviceUrl,
            kind == Conversation.ConversationKind.Personal ? TeamsActivityMapper.UserIdOf(activity.From) : null,
            data,
            Active: true,
            at);
    }

    private static void Put(Dictionary<string, string> data, string key, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            data[key] = value;
        }
    }
}
