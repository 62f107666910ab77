using KpiBot.Channels.Teams.Adapter;
using KpiBot.Channels.Teams.Connector;
using KpiBot.Channels.Teams.Schema;
using KpiBot.Conversation;
using KpiBot.Domain;
using KpiBot.Replies;

namespace KpiBot.Channels.Teams;

/// <summary>
/// Posts to a stored Teams conversation without being asked (nudges, digests): <c>POST
/// v3/conversations/{id}/activities</c> at the address's service URL, which was recorded from an
/// authenticated activity. 429 after retries → <see cref="SendStatus.RetryLater"/> with the Connector's
/// Retry-After; 403 → <see cref="SendStatus.ConversationGone"/> and the address is marked inactive.
/// </summary>
public sealed class TeamsProactiveSender : IProactiveSender
{
    private readonly TeamsReplyBuilder _replies;
    private readonly TeamsMessenger _messenger;

    /// <summary>Creates the sender.</summary>
    public TeamsProactiveSender(TeamsReplyBuilder replies, TeamsMessenger messenger)
    {
        _replies = replies;
        _messenger = messenger;
    }

    /// <inheritdoc />
    public Platform Platform => Platform.Teams;

    /// <inheritdoc />
    public Task<SendOutcome> SendAsync(ConversationAddress to, Reply reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(to);
        ArgumentNullException.ThrowIfNull(reply);
        if (to.Platform != Platform.Teams)
        {
            return Task.FromResult(new SendOutcome(SendStatus.Failed, Error: $"address {to.Key} is a {to.Platform} conversation, not Teams"));
        }

        if (!to.Active)
        {
            return Task.FromResult(new SendOutcome(SendStatus.ConversationGone, Error: $"address {to.Key} is inactive"));
        }

        if (string.IsNullOrEmpty(to.ServiceUrl) || !Uri.TryCreate(to.ServiceUrl, UriKind.Absolute, out _))
        {
            return Task.FromResult(new SendOutcome(SendStatus.Failed, Error: $"address {to.Key} has no service URL; it must be seen in an authenticated activity first"));
        }

        var bot = to.PlatformData.TryGetValue(ConversationReferences.BotIdKey, out var botId)
            ? new ChannelAccount { Id = botId, Name = to.PlatformData.GetValueOrDefault(ConversationReferences.BotNameKey) }
            : null;
        var conversation = new ConversationAccount
        {
            Id = to.ConversationId,
            TenantId = to.PlatformData.GetValueOrDefault(ConversationReferences.TenantIdKey),
            IsGroup = to.Kind != ConversationKind.Personal ? true : null,
        };
        var message = _replies.BuildMessage(reply, bot, null, conversation, null);
        return _messenger.SendAsync(to.ServiceUrl, to.ConversationId, null, message, to.Key, cancellationToken);
    }
}
