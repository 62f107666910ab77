using KpiBot.Domain;

namespace KpiBot.Conversation;

/// <summary>Where a message was typed.</summary>
public enum ConversationKind
{
    /// <summary>A one-to-one chat with the bot (Slack DM, Teams personal chat, the local page).</summary>
    Personal,
    /// <summary>A group chat.</summary>
    Group,
    /// <summary>A team channel: replies there are seen by everyone, so they never show individual Crisis/Danger.</summary>
    Channel,
}

/// <summary>
/// One thing a user said or clicked, in platform-neutral form. Platform adapters build it after
/// verifying the request; the bot never sees HTTP or a platform payload.
/// </summary>
/// <param name="WorkspaceId">Platform-qualified workspace id (<c>slack:T…</c>, <c>teams:&lt;tenant&gt;</c>, <c>local:…</c>).</param>
/// <param name="UserId">The platform user id (Slack <c>U…</c>, Teams aadObjectId, local page user id).</param>
/// <param name="UserName">The display name the platform gave, for first contact and name matching.</param>
/// <param name="Text">What was typed with the bot's own mention removed; a button's command text.</param>
/// <param name="SourceId">The platform's id of this delivery (idempotency key): the same id is stored once.</param>
/// <param name="ConversationId">The chat or channel id, for replies and nudge schedules typed there.</param>
/// <param name="TimeZoneId">IANA zone the platform reported for the user, when known.</param>
/// <param name="Form">Values of a submitted form (logging form), keyed by field id; null for typed text.</param>
/// <param name="ReceivedAt">When the platform delivered it (the bot's clock, not the user's).</param>
public sealed record IncomingMessage(
    Platform Platform,
    string WorkspaceId,
    string UserId,
    string UserName,
    string Text,
    string SourceId,
    string? ConversationId,
    ConversationKind Kind,
    string? TimeZoneId,
    FormSubmission? Form,
    DateTimeOffset ReceivedAt);

/// <summary>A submitted form: which form and the raw string values of its fields.</summary>
public sealed record FormSubmission(string FormId, IReadOnlyDictionary<string, string> Values);

/// <summary>The bot's answer to one incoming message: zero or more neutral replies.</summary>
public sealed record BotResponse(IReadOnlyList<Replies.Reply> Replies)
{
    /// <summary>A response with a single reply.</summary>
    public static BotResponse Of(Replies.Reply reply) => new([reply]);
}

/// <summary>The conversation engine: parses, authorizes, runs one command, returns neutral replies.</summary>
public interface IBot
{
    /// <summary>Handles one message. Never throws for user input; bad input becomes a helpful reply.</summary>
    Task<BotResponse> HandleAsync(IncomingMessage message, CancellationToken cancellationToken);
}
