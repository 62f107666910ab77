using System.Text.Json;
using KpiBot.Channels.Teams.Schema;
using KpiBot.Conversation;
using KpiBot.Domain;

namespace KpiBot.Channels.Teams.Adapter;

/// <summary>
/// Turns verified Teams activities into KpiBot's neutral <see cref="IncomingMessage"/>. Pure: the
/// receive time is a parameter, nothing is looked up.
/// </summary>
public static class TeamsActivityMapper
{
    /// <summary>The prefix of a Teams workspace id: a workspace is one Microsoft 365 tenant.</summary>
    public const string WorkspacePrefix = "teams:";

    /// <summary>The data key of a button that runs a chat command (rendered cards put it there).</summary>
    public const string CommandKey = "command";

    /// <summary>The data key naming the submitted form (the logging form is <c>log</c>).</summary>
    public const string FormIdKey = "formId";

    /// <summary>The tenant of an activity: <c>channelData.tenant.id</c>, else <c>conversation.tenantId</c>.</summary>
    public static string? TenantOf(Activity activity) =>
        NullIfBlank(activity.ChannelData?.Tenant?.Id) ?? NullIfBlank(activity.Conversation?.TenantId);

    /// <summary>The channel id the Bot Framework Emulator sends.</summary>
    public const string EmulatorChannelId = "emulator";

    /// <summary>
    /// The KpiBot workspace id of an activity (<c>teams:&lt;tenant&gt;</c>), or null without a tenant.
    /// The Emulator sends no tenant, so its conversations share the workspace <c>teams:emulator</c>.
    /// </summary>
    public static string? WorkspaceIdOf(Activity activity) => TenantOf(activity) switch
    {
        { } tenant => WorkspacePrefix + tenant.ToLowerInvariant(),
        null when string.Equals(activity.ChannelId, EmulatorChannelId, StringComparison.Ordinal) => WorkspacePrefix + EmulatorChannelId,
        _ => null,
    };

    /// <summary>Where the activity was typed.</summary>
    public static ConversationKind KindOf(Activity activity) => activity.Conversation?.ConversationType switch
    {
        "channel" => ConversationKind.Channel,
        "groupChat" => ConversationKind.Group,
        "personal" => ConversationKind.Personal,
        // Older payloads and the Emulator omit conversationType; isGroup tells a group from a 1:1 chat.
        _ => activity.Conversation?.IsGroup == true ? ConversationKind.Group : ConversationKind.Personal,
    };

    /// <summary>
    /// The user's identity: the Entra object id (stable across chats, devices and renames), else the
    /// channel id for the Emulator, which has no Entra identity.
    /// </summary>
    public static string? UserIdOf(ChannelAccount? from) => NullIfBlank(from?.AadObjectId) ?? NullIfBlank(from?.Id);

    /// <summary>The idempotency key of a delivery: conversation + activity id (activity ids are only unique inside a conversation).</summary>
    public static string? DeliveryKeyOf(Activity activity) =>
        activity.Id is { Length: > 0 } id && activity.Conversation?.Id is { Length: > 0 } conversation
            ? $"{WorkspaceIdOf(activity) ?? "teams:-"}:{conversation}:{id}"
            : null;

    /// <summary>
    /// The sender's IANA time zone: <c>localTimezone</c>, else the <c>clientInfo</c> entity's <c>timezone</c>.
    /// Values that are not a known zone are ignored rather than stored.
    /// </summary>
    public static string? TimeZoneOf(Activity activity)
    {
        var candidate = NullIfBlank(activity.LocalTimezone);
        if (candidate is null)
        {
            foreach (var entity in activity.Entities ?? [])
            {
                if (entity.ValueKind == JsonValueKind.Object
                    && StringProperty(entity, "type") is { } type
                    && type.Equals("clientInfo", StringComparison.OrdinalIgnoreCase)
                    && StringProperty(entity, "timezone") is { Length: > 0 } zone)
                {
                    candidate = zone;
                    break;
                }
            }
        }

        return candidate is not null && TimeZoneInfo.TryFindSystemTimeZoneById(candidate, out _) ? candidate : null;
    }

    /// <summary>
    /// Removes the bot's own <c>&lt;at&gt;Name&lt;/at&gt;</c> mention from the text, as the Bot Framework
    /// SDK's <c>removeMentionText</c> does: every <c>mention</c> entity whose <c>mentioned.id</c> is the
    /// recipient (the bot) has its <c>text</c> removed. Mentions of other people stay.
    /// </summary>
    public static string StripBotMention(string? text, IReadOnlyList<JsonElement>? entities, string? botId)
    {
        var result = text ?? "";
        if (!string.IsNullOrEmpty(botId))
        {
            foreach (var entity in entities ?? [])
            {
                if (entity.ValueKind != JsonValueKind.Object
                    || StringProperty(entity, "type") is not { } type
                    || !type.Equals("mention", StringComparison.OrdinalIgnoreCase)
                    || !entity.TryGetProperty("mentioned", out var mentioned)
                    || mentioned.ValueKind != JsonValueKind.Object
                    || !string.Equals(StringProperty(mentioned, "id"), botId, StringComparison.Ordinal))
                {
                    continue;
                }

                if (StringProperty(entity, "text") is { Length: > 0 } mentionText)
                {
                    result = result.Replace(mentionText, " ", StringComparison.Ordinal);
                }
            }
        }

        // Teams appends "\n" and may put &nbsp; next to the mention; collapse what the removal left.
        return string.Join(' ', result.Replace('\u00a0', ' ').Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>
    /// Reads card data (Action.Submit <c>value</c> or Action.Execute <c>action.data</c>): a <c>command</c>
    /// becomes the text, a <c>formId</c> plus the card's inputs becomes a <see cref="FormSubmission"/>.
    /// Returns null when the data carries neither.
    /// </summary>
    public static (string Text, FormSubmission? Form)? ReadCardData(JsonElement? data, string? verb = null)
    {
        if (data is { ValueKind: JsonValueKind.Object } obj)
        {
            if (StringProperty(obj, FormIdKey) is { Length: > 0 } formId)
            {
                var values = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var property in obj.EnumerateObject())
                {
                    if (property.Name is FormIdKey or CommandKey or "msteams")
                    {
                        continue;
                    }

                    if (Scalar(property.Value) is { } value)
                    {
                        values[property.Name] = value;
                    }
                }

                return ("", new FormSubmission(formId, values));
            }

            if (StringProperty(obj, CommandKey) is { Length: > 0 } command)
            {
                return (command.Trim(), null);
            }
        }

        return string.IsNullOrWhiteSpace(verb) || verb == CommandKey ? null : (verb.Trim(), null);
    }

    /// <summary>
    /// Builds the neutral message of a verified <c>message</c> activity (typed text or Action.Submit),
    /// or null when it carries nothing KpiBot can act on (no text, no card data, no sender).
    /// </summary>
    public static IncomingMessage? ToIncomingMessage(Activity activity, DateTimeOffset receivedAt)
    {
        var content = activity.Value is { } value && ReadCardData(value) is { } card
            ? card
            : (StripBotMention(activity.Text, activity.Entities, activity.Recipient?.Id), (FormSubmission?)null);
        return content.Item1.Length == 0 && content.Item2 is null ? null : Build(activity, content.Item1, content.Item2, receivedAt);
    }

    /// <summary>Builds the neutral message of an Action.Execute invoke (its <c>action.data</c> and <c>verb</c>).</summary>
    public static IncomingMessage? ToIncomingMessage(Activity activity, JsonElement actionData, string? verb, DateTimeOffset receivedAt) =>
        ReadCardData(actionData, verb) is { } card ? Build(activity, card.Text, card.Form, receivedAt) : null;

    private static IncomingMessage? Build(Activity activity, string text, FormSubmission? form, DateTimeOffset receivedAt)
    {
        if (WorkspaceIdOf(activity) is not { } workspace || UserIdOf(activity.From) is not { } user || DeliveryKeyOf(activity) is not { } key)
        {
            return null;
        }

        return new IncomingMessage(
            Platform.Teams,
            workspace,
            user,
            NullIfBlank(activity.From?.Name) ?? "Teams user",
            text,
            key,
            activity.Conversation?.Id,
            KindOf(activity),
            TimeZoneOf(activity),
            form,
            receivedAt);
    }

    private static string? Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    private static string? StringProperty(JsonElement element, string name) =>
        element.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.String ? property.GetString() : null;

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
