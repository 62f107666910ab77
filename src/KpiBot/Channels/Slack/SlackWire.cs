using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace KpiBot.Channels.Slack;

// Slack wire models: only the fields KpiBot uses, everything else kept as extension data where it may
// matter later (loose schemas survive Slack adding fields). Names map with snake_case_lower.

/// <summary>A <c>/kpi</c> invocation (https://api.slack.com/interactivity/slash-commands): form fields over HTTP, a JSON object in Socket Mode.</summary>
public sealed record SlackSlashCommand(
    string TeamId,
    string? TeamDomain,
    string ChannelId,
    string? ChannelName,
    string UserId,
    string? UserName,
    string Command,
    string Text,
    string? ResponseUrl,
    string? TriggerId,
    string? ApiAppId)
{
    /// <summary>
    /// Reads a command from its fields. Returns null and a reason naming the missing field when the
    /// payload is not a usable slash command.
    /// </summary>
    public static SlackSlashCommand? FromFields(Func<string, string?> field, out string? problem)
    {
        string? missing = null;
        string? Required(string name)
        {
            var value = field(name);
            if (string.IsNullOrWhiteSpace(value))
            {
                missing ??= $"the slash command payload has no '{name}' field";
            }
            return value;
        }
        var teamId = Required("team_id");
        var userId = Required("user_id");
        var channelId = Required("channel_id");
        var command = Required("command");
        problem = missing;
        if (problem is not null)
        {
            return null;
        }
        return new SlackSlashCommand(
            teamId!, field("team_domain"), channelId!, field("channel_name"), userId!, field("user_name"),
            command!, (field("text") ?? "").Trim(), NullIfEmpty(field("response_url")), NullIfEmpty(field("trigger_id")), field("api_app_id"));
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}

/// <summary>An Events API delivery (https://api.slack.com/apis/connections/events-api): <c>url_verification</c> or <c>event_callback</c>.</summary>
public sealed record SlackEventEnvelope
{
    /// <summary><c>url_verification</c>, <c>event_callback</c>, or <c>app_rate_limited</c>.</summary>
    public string? Type { get; init; }

    /// <summary>The value to echo back on <c>url_verification</c>.</summary>
    public string? Challenge { get; init; }

    /// <summary>The workspace (team) the event happened in.</summary>
    public string? TeamId { get; init; }

    /// <summary>The Slack app the delivery is for.</summary>
    public string? ApiAppId { get; init; }

    /// <summary>The inner event.</summary>
    public SlackEvent? Event { get; init; }

    /// <summary>Unique per event across retries: the idempotency key.</summary>
    public string? EventId { get; init; }

    /// <summary>When the event happened (Unix seconds).</summary>
    public long? EventTime { get; init; }

    /// <summary>Legacy list of users the event is visible to (contains KpiBot's own user on app_mention).</summary>
    public IReadOnlyList<string>? AuthedUsers { get; init; }

    /// <summary>The installations the event is for; the one with <c>is_bot</c> is KpiBot's own bot user.</summary>
    public IReadOnlyList<SlackAuthorization>? Authorizations { get; init; }

    /// <summary>The bot user ids KpiBot appears as in this delivery (its own messages and mentions use them).</summary>
    public IEnumerable<string> BotUserIds =>
        (Authorizations ?? []).Where(a => a.IsBot == true && !string.IsNullOrEmpty(a.UserId)).Select(a => a.UserId!);
}

/// <summary>One entry of <c>authorizations</c> in an event delivery.</summary>
public sealed record SlackAuthorization(string? TeamId, string? UserId, bool? IsBot);

/// <summary>The inner event of an <c>event_callback</c>: app_mention, message, app_home_opened.</summary>
public sealed record SlackEvent
{
    /// <summary><c>app_mention</c>, <c>message</c>, <c>app_home_opened</c>, …</summary>
    public string? Type { get; init; }

    /// <summary>Set on edited, deleted, joined, bot… messages: KpiBot only takes plain user messages.</summary>
    public string? Subtype { get; init; }

    /// <summary>Who wrote it (U…).</summary>
    public string? User { get; init; }

    /// <summary>Set when a bot (including KpiBot) wrote it; such events are ignored to avoid loops.</summary>
    public string? BotId { get; init; }

    /// <summary>The message text, with mentions as <c>&lt;@U…&gt;</c>.</summary>
    public string? Text { get; init; }

    /// <summary>The channel (C…), private channel / group (G…), or DM (D…).</summary>
    public string? Channel { get; init; }

    /// <summary><c>im</c> for a DM with KpiBot, <c>channel</c>, <c>group</c>, <c>mpim</c>.</summary>
    public string? ChannelType { get; init; }

    /// <summary>The message timestamp (its id within the channel).</summary>
    public string? Ts { get; init; }

    /// <summary>The parent message when the message was written in a thread.</summary>
    public string? ThreadTs { get; init; }

    /// <summary>The client's id of a typed message (stable across edits of delivery).</summary>
    public string? ClientMsgId { get; init; }

    /// <summary>app_home_opened: which tab was opened (<c>home</c> or <c>messages</c>).</summary>
    public string? Tab { get; init; }

    /// <summary>Everything else Slack sent, kept untouched.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>The <c>payload</c> of an interaction (https://api.slack.com/interactivity/handling): block_actions or view_submission.</summary>
public sealed record SlackInteraction
{
    /// <summary><c>block_actions</c>, <c>view_submission</c>, <c>view_closed</c>, …</summary>
    public string? Type { get; init; }

    /// <summary>The workspace.</summary>
    public SlackTeamRef? Team { get; init; }

    /// <summary>Who clicked or submitted.</summary>
    public SlackUserRef? User { get; init; }

    /// <summary>Opens a modal in reply (valid for three seconds).</summary>
    public string? TriggerId { get; init; }

    /// <summary>Where the clicked element lives (a message or a view).</summary>
    public SlackContainer? Container { get; init; }

    /// <summary>The channel of a message surface.</summary>
    public SlackChannelRef? Channel { get; init; }

    /// <summary>Reply address for message surfaces.</summary>
    public string? ResponseUrl { get; init; }

    /// <summary>The clicked elements (block_actions).</summary>
    public IReadOnlyList<SlackAction>? Actions { get; init; }

    /// <summary>The submitted or containing view.</summary>
    public SlackView? View { get; init; }
}

/// <summary>A workspace reference in an interaction.</summary>
public sealed record SlackTeamRef(string? Id, string? Domain);

/// <summary>A user reference in an interaction.</summary>
public sealed record SlackUserRef(string? Id, string? Username, string? Name, string? TeamId);

/// <summary>A channel reference in an interaction.</summary>
public sealed record SlackChannelRef(string? Id, string? Name);

/// <summary>The surface an interaction came from.</summary>
public sealed record SlackContainer(string? Type, string? MessageTs, string? ChannelId, string? ViewId, bool? IsEphemeral);

/// <summary>One clicked element of block_actions.</summary>
public sealed record SlackAction(string? ActionId, string? BlockId, string? Type, string? Value, string? ActionTs);

/// <summary>A modal or App Home view as Slack sends it back.</summary>
public sealed record SlackView
{
    /// <summary>The view id (V…).</summary>
    public string? Id { get; init; }

    /// <summary><c>modal</c> or <c>home</c>.</summary>
    public string? Type { get; init; }

    /// <summary>KpiBot's id for the modal, set when it was opened.</summary>
    public string? CallbackId { get; init; }

    /// <summary>KpiBot's own context, set when it was opened (≤ 3,000 chars).</summary>
    public string? PrivateMetadata { get; init; }

    /// <summary>Changes with every update of the view: with the id, it names one submission.</summary>
    public string? Hash { get; init; }

    /// <summary>Input values: block_id → action_id → value.</summary>
    public SlackViewState? State { get; init; }
}

/// <summary>The state of a view's inputs.</summary>
public sealed record SlackViewState(IReadOnlyDictionary<string, IReadOnlyDictionary<string, SlackInputValue>>? Values);

/// <summary>One input's value; which property is set depends on the element type.</summary>
public sealed record SlackInputValue(string? Type, string? Value, string? SelectedDate, SlackOptionRef? SelectedOption);

/// <summary>A chosen option of a select.</summary>
public sealed record SlackOptionRef(string? Value);

/// <summary>A Socket Mode frame (https://api.slack.com/apis/connections/socket): hello, disconnect or an envelope.</summary>
public sealed record SlackSocketFrame
{
    /// <summary><c>hello</c>, <c>disconnect</c>, <c>events_api</c>, <c>interactive</c>, <c>slash_commands</c>.</summary>
    public string? Type { get; init; }

    /// <summary>The id to acknowledge.</summary>
    public string? EnvelopeId { get; init; }

    /// <summary>The same payload an HTTP request would carry.</summary>
    public JsonElement? Payload { get; init; }

    /// <summary>True when the acknowledgement may carry a response payload (slash commands, view submissions).</summary>
    public bool? AcceptsResponsePayload { get; init; }

    /// <summary>How many times Slack retried this envelope.</summary>
    public int? RetryAttempt { get; init; }

    /// <summary>disconnect: why Slack is closing (<c>refresh_requested</c>, <c>link_disabled</c>, …).</summary>
    public string? Reason { get; init; }
}

/// <summary>The acknowledgement of a Socket Mode envelope.</summary>
public sealed record SlackSocketAck(string EnvelopeId, JsonObject? Payload);

// ---- Web API requests -----------------------------------------------------------------------------

/// <summary>chat.postMessage.</summary>
public sealed record ChatPostMessageRequest(string Channel, string Text, JsonArray? Blocks, string? ThreadTs = null);

/// <summary>chat.postEphemeral: visible only to <see cref="User"/> in <see cref="Channel"/>.</summary>
public sealed record ChatPostEphemeralRequest(string Channel, string User, string Text, JsonArray? Blocks);

/// <summary>chat.update.</summary>
public sealed record ChatUpdateRequest(string Channel, string Ts, string Text, JsonArray? Blocks);

/// <summary>views.open.</summary>
public sealed record ViewsOpenRequest(string TriggerId, JsonObject View);

/// <summary>views.publish (App Home).</summary>
public sealed record ViewsPublishRequest(string UserId, JsonObject View);

/// <summary>conversations.open.</summary>
public sealed record ConversationsOpenRequest(string Users);

/// <summary>A message posted to a <c>response_url</c>.</summary>
public sealed record ResponseUrlMessage(string Text, JsonArray? Blocks, string ResponseType, bool? ReplaceOriginal = null);

/// <summary>The body of a slash command acknowledgement (ephemeral unless said otherwise).</summary>
public sealed record SlashCommandAckMessage(string ResponseType, string Text);

/// <summary>A <c>view_submission</c> acknowledgement that keeps the modal open with errors under fields.</summary>
public sealed record ViewErrorsAck(string ResponseAction, IReadOnlyDictionary<string, string> Errors);

/// <summary>The <c>url_verification</c> answer.</summary>
public sealed record ChallengeAck(string Challenge);

// ---- Web API responses ----------------------------------------------------------------------------

/// <summary>Fields every Web API response has: <c>ok:false</c> comes with an <c>error</c> code on HTTP 200.</summary>
public record SlackApiResponse
{
    /// <summary>True on success.</summary>
    public bool Ok { get; init; }

    /// <summary>The error code when not ok (<c>channel_not_found</c>, <c>invalid_auth</c>, …).</summary>
    public string? Error { get; init; }

    /// <summary>The scope that was missing (<c>missing_scope</c>).</summary>
    public string? Needed { get; init; }

    /// <summary>A warning even on success.</summary>
    public string? Warning { get; init; }
}

/// <summary>chat.postMessage / chat.update.</summary>
public sealed record ChatMessageResponse : SlackApiResponse
{
    /// <summary>The channel posted to.</summary>
    public string? Channel { get; init; }

    /// <summary>The message's timestamp id.</summary>
    public string? Ts { get; init; }
}

/// <summary>chat.postEphemeral.</summary>
public sealed record ChatEphemeralResponse : SlackApiResponse
{
    /// <summary>The ephemeral message's timestamp.</summary>
    public string? MessageTs { get; init; }
}

/// <summary>users.info.</summary>
public sealed record UsersInfoResponse : SlackApiResponse
{
    /// <summary>The user.</summary>
    public SlackUser? User { get; init; }
}

/// <summary>A Slack user (the fields KpiBot uses).</summary>
public sealed record SlackUser(string? Id, string? Name, string? RealName, string? Tz, bool? IsBot, bool? Deleted, SlackUserProfile? Profile);

/// <summary>A user's profile names.</summary>
public sealed record SlackUserProfile(string? DisplayName, string? RealName);

/// <summary>conversations.open.</summary>
public sealed record ConversationsOpenResponse : SlackApiResponse
{
    /// <summary>The DM channel.</summary>
    public SlackChannelRef? Channel { get; init; }
}

/// <summary>views.open / views.publish.</summary>
public sealed record ViewResponse : SlackApiResponse
{
    /// <summary>The view as stored by Slack.</summary>
    public SlackView? View { get; init; }
}

/// <summary>apps.connections.open: the WebSocket URL for Socket Mode.</summary>
public sealed record AppsConnectionsOpenResponse : SlackApiResponse
{
    /// <summary>A single-use <c>wss://</c> URL.</summary>
    public string? Url { get; init; }
}

/// <summary>Source-generated JSON for every Slack wire type (snake_case, nulls left out).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = false)]
[JsonSerializable(typeof(SlackEventEnvelope))]
[JsonSerializable(typeof(SlackInteraction))]
[JsonSerializable(typeof(SlackSocketFrame))]
[JsonSerializable(typeof(SlackSocketAck))]
[JsonSerializable(typeof(ChatPostMessageRequest))]
[JsonSerializable(typeof(ChatPostEphemeralRequest))]
[JsonSerializable(typeof(ChatUpdateRequest))]
[JsonSerializable(typeof(ViewsOpenRequest))]
[JsonSerializable(typeof(ViewsPublishRequest))]
[JsonSerializable(typeof(ConversationsOpenRequest))]
[JsonSerializable(typeof(ResponseUrlMessage))]
[JsonSerializable(typeof(SlashCommandAckMessage))]
[JsonSerializable(typeof(ViewErrorsAck))]
[JsonSerializable(typeof(ChallengeAck))]
[JsonSerializable(typeof(SlackApiResponse))]
[JsonSerializable(typeof(ChatMessageResponse))]
[JsonSerializable(typeof(ChatEphemeralResponse))]
[JsonSerializable(typeof(UsersInfoResponse))]
[JsonSerializable(typeof(ConversationsOpenResponse))]
[JsonSerializable(typeof(ViewResponse))]
[JsonSerializable(typeof(AppsConnectionsOpenResponse))]
[JsonSerializable(typeof(JsonObject))]
internal sealed partial class SlackJson : JsonSerializerContext;
