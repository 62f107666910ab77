using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace KpiBot.Channels.Teams.Schema;

/// <summary>
/// A Bot Framework activity, deliberately loose: the fields KpiBot uses are typed, everything else is
/// kept in <see cref="Extra"/> so nothing Teams adds breaks parsing. Field meanings:
/// https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference#activity-object
/// </summary>
public sealed record Activity
{
    /// <summary><c>message</c>, <c>conversationUpdate</c>, <c>installationUpdate</c>, <c>invoke</c>, …</summary>
    public string? Type { get; init; }

    /// <summary>The channel's id of this activity: the key that makes redeliveries idempotent.</summary>
    public string? Id { get; init; }

    /// <summary>When the channel sent it (UTC).</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>The sender's local time, with its offset.</summary>
    public DateTimeOffset? LocalTimestamp { get; init; }

    /// <summary>The sender's IANA time zone, e.g. <c>America/Los_Angeles</c>, when the client reports it.</summary>
    public string? LocalTimezone { get; init; }

    /// <summary>The sender's locale, e.g. <c>en-US</c>.</summary>
    public string? Locale { get; init; }

    /// <summary>The Connector endpoint to reply to. Opaque: join paths to it, never parse it.</summary>
    public string? ServiceUrl { get; init; }

    /// <summary><c>msteams</c> for Teams, <c>emulator</c> for the Bot Framework Emulator.</summary>
    public string? ChannelId { get; init; }

    /// <summary>The sender.</summary>
    public ChannelAccount? From { get; init; }

    /// <summary>The receiver (the bot, <c>28:&lt;appId&gt;</c>, on inbound activities).</summary>
    public ChannelAccount? Recipient { get; init; }

    /// <summary>The conversation the activity belongs to.</summary>
    public ConversationAccount? Conversation { get; init; }

    /// <summary>Message text; in channels it contains <c>&lt;at&gt;Bot&lt;/at&gt;</c> mentions.</summary>
    public string? Text { get; init; }

    /// <summary><c>plain</c>, <c>markdown</c> or <c>xml</c>.</summary>
    public string? TextFormat { get; init; }

    /// <summary>Cards and files.</summary>
    public IReadOnlyList<Attachment>? Attachments { get; init; }

    /// <summary>Mentions, client info, … (kept as JSON, read by <see cref="Entities"/> helpers).</summary>
    public IReadOnlyList<JsonElement>? Entities { get; init; }

    /// <summary>The activity this one replies to.</summary>
    public string? ReplyToId { get; init; }

    /// <summary>Action.Submit data (message) or the invoke payload.</summary>
    public JsonElement? Value { get; init; }

    /// <summary>Invoke name, e.g. <c>adaptiveCard/action</c>.</summary>
    public string? Name { get; init; }

    /// <summary>Members added (conversationUpdate); the bot itself when it was installed.</summary>
    public IReadOnlyList<ChannelAccount>? MembersAdded { get; init; }

    /// <summary>Members removed (conversationUpdate).</summary>
    public IReadOnlyList<ChannelAccount>? MembersRemoved { get; init; }

    /// <summary><c>add</c> or <c>remove</c> on installationUpdate.</summary>
    public string? Action { get; init; }

    /// <summary>Teams-specific data: tenant, team, channel, event type.</summary>
    public TeamsChannelData? ChannelData { get; init; }

    /// <summary>Outbound: how several attachments are laid out.</summary>
    public string? AttachmentLayout { get; init; }

    /// <summary>Outbound: a plain-text summary shown in notifications.</summary>
    public string? Summary { get; init; }

    /// <summary>Everything else the channel sent, kept verbatim.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Extra { get; set; } // settable: the source generator cannot fill init-only extension data
}

/// <summary>A user or bot in a conversation.</summary>
public sealed record ChannelAccount
{
    /// <summary>Channel-specific id (<c>29:…</c> users, <c>28:…</c> bots).</summary>
    public string? Id { get; init; }

    /// <summary>Display name.</summary>
    public string? Name { get; init; }

    /// <summary>The Entra object id of a user: KpiBot's stable identity for a Teams person.</summary>
    public string? AadObjectId { get; init; }

    /// <summary>Unused fields.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Extra { get; set; } // settable: the source generator cannot fill init-only extension data
}

/// <summary>A conversation: personal chat, group chat or channel (thread).</summary>
public sealed record ConversationAccount
{
    /// <summary>Conversation id (<c>a:…</c> personal, <c>19:…@thread.v2</c> group chat, <c>19:…@thread.tacv2[;messageid=…]</c> channel).</summary>
    public string? Id { get; init; }

    /// <summary><c>personal</c>, <c>groupChat</c> or <c>channel</c>.</summary>
    public string? ConversationType { get; init; }

    /// <summary>The Microsoft 365 tenant.</summary>
    public string? TenantId { get; init; }

    /// <summary>True for group chats and channels.</summary>
    public bool? IsGroup { get; init; }

    /// <summary>Name of a channel or group chat, when Teams sends it.</summary>
    public string? Name { get; init; }

    /// <summary>Unused fields.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Extra { get; set; } // settable: the source generator cannot fill init-only extension data
}

/// <summary>A card or file attached to an activity.</summary>
public sealed record Attachment
{
    /// <summary>MIME type; <c>application/vnd.microsoft.card.adaptive</c> for Adaptive Cards.</summary>
    public string? ContentType { get; init; }

    /// <summary>The card JSON (or an HTML string on inbound copies of the text).</summary>
    public JsonNode? Content { get; init; }

    /// <summary>Unused fields.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Extra { get; set; } // settable: the source generator cannot fill init-only extension data
}

/// <summary>The Teams part of <c>channelData</c>.</summary>
public sealed record TeamsChannelData
{
    /// <summary>The tenant the activity comes from.</summary>
    public TenantInfo? Tenant { get; init; }

    /// <summary>The team of a channel conversation.</summary>
    public TeamInfo? Team { get; init; }

    /// <summary>The channel of a channel conversation.</summary>
    public TeamInfo? Channel { get; init; }

    /// <summary>E.g. <c>teamMemberAdded</c>, <c>channelCreated</c>.</summary>
    public string? EventType { get; init; }

    /// <summary>Unused fields (settings, source, legacy ids), kept so they can be stored with a conversation reference.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Extra { get; set; } // settable: the source generator cannot fill init-only extension data
}

/// <summary>A tenant reference.</summary>
public sealed record TenantInfo
{
    /// <summary>The tenant id.</summary>
    public string? Id { get; init; }
}

/// <summary>A team or channel reference.</summary>
public sealed record TeamInfo
{
    /// <summary>Its Teams id.</summary>
    public string? Id { get; init; }

    /// <summary>Its name, when Teams sends it.</summary>
    public string? Name { get; init; }

    /// <summary>Unused fields (aadGroupId).</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Extra { get; set; } // settable: the source generator cannot fill init-only extension data
}

/// <summary>The Connector's answer to a send: the id of the created activity.</summary>
public sealed record ResourceResponse
{
    /// <summary>Id of the posted activity.</summary>
    public string? Id { get; init; }
}

/// <summary>An OAuth 2.0 token response from the Entra token endpoint.</summary>
public sealed record TokenResponse
{
    /// <summary>The bearer token.</summary>
    [JsonPropertyName("access_token")]
    public string? AccessToken { get; init; }

    /// <summary>Lifetime in seconds.</summary>
    [JsonPropertyName("expires_in")]
    public int? ExpiresIn { get; init; }

    /// <summary><c>Bearer</c>.</summary>
    [JsonPropertyName("token_type")]
    public string? TokenType { get; init; }
}

/// <summary>The body of an invoke response (Universal Actions for Adaptive Cards).</summary>
/// <param name="StatusCode">HTTP-like status of the action.</param>
/// <param name="Type">
/// <c>application/vnd.microsoft.card.adaptive</c> (value = the refreshed card),
/// <c>application/vnd.microsoft.activity.message</c> (value = text) or <c>application/vnd.microsoft.error</c>.
/// </param>
/// <param name="Value">The card, text or error.</param>
public sealed record AdaptiveCardInvokeResponse(int StatusCode, string Type, JsonNode? Value);

/// <summary>The value of an error invoke response.</summary>
public sealed record InvokeError(string Code, string Message);

/// <summary>
/// A message activity as accepted into the durable inbox: the verified activity and when it arrived (the bot's
/// "today" for the message, also when the work is replayed after a restart).
/// </summary>
public sealed record TeamsAcceptedMessage(Activity Activity, DateTimeOffset ReceivedAt);

/// <summary>Source-generated JSON for the Teams wire types (camelCase, nulls omitted, as the Connector expects).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(Activity))]
[JsonSerializable(typeof(TeamsAcceptedMessage))]
[JsonSerializable(typeof(ResourceResponse))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(AdaptiveCardInvokeResponse))]
[JsonSerializable(typeof(InvokeError))]
[JsonSerializable(typeof(Dictionary<string, string>))]
public sealed partial class TeamsJsonContext : JsonSerializerContext;
