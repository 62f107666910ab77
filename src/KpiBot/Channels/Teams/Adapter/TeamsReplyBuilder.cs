using System.Text;
using System.Text.Json.Nodes;
using KpiBot.Channels.Teams.Schema;
using KpiBot.Rendering;
using KpiBot.Replies;

namespace KpiBot.Channels.Teams.Adapter;

/// <summary>Turns neutral replies into outbound Teams message activities carrying an Adaptive Card.</summary>
public sealed class TeamsReplyBuilder
{
    /// <summary>The attachment content type of an Adaptive Card.</summary>
    public const string AdaptiveCardContentType = "application/vnd.microsoft.card.adaptive";

    /// <summary>
    /// KpiBot's budget for one message. Teams accepts about 100 KB for bots, but 28 KB is the limit of
    /// incoming webhooks/Workflows; one rule for both keeps cards portable
    /// (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/format-your-bot-messages).
    /// </summary>
    public const int MaxMessageBytes = 28 * 1024;

    private static readonly AdaptiveCardOptions TeamsCardOptions = new(NativeCharts: true);
    private readonly IAdaptiveCardRenderer _cards;

    /// <summary>Creates the builder.</summary>
    public TeamsReplyBuilder(IAdaptiveCardRenderer cards) => _cards = cards;

    /// <summary>The reply as an Adaptive Card (Teams' native charts with PNG fallbacks).</summary>
    public JsonObject RenderCard(Reply reply) => _cards.Render(reply, TeamsCardOptions);

    /// <summary>
    /// A message activity with the reply's card. <paramref name="bot"/> and <paramref name="user"/> are the
    /// inbound recipient and sender (swapped for the answer); either may be null for proactive posts.
    /// A card over <see cref="MaxMessageBytes"/> is replaced by its plain summary rather than refused by Teams.
    /// </summary>
    public Activity BuildMessage(Reply reply, ChannelAccount? bot, ChannelAccount? user, ConversationAccount conversation, string? replyToId)
    {
        var card = RenderCard(reply);
        var tooBig = Encoding.UTF8.GetByteCount(card.ToJsonString()) > MaxMessageBytes;
        return new Activity
        {
            Type = "message",
            From = bot is null ? null : new ChannelAccount { Id = bot.Id, Name = bot.Name },
            Recipient = user is null ? null : new ChannelAccount { Id = user.Id, Name = user.Name, AadObjectId = user.AadObjectId },
            Conversation = new ConversationAccount { Id = conversation.Id, ConversationType = conversation.ConversationType, TenantId = conversation.TenantId, IsGroup = conversation.IsGroup },
            ReplyToId = replyToId,
            Summary = reply.Summary,
            Text = tooBig ? reply.Summary : null,
            TextFormat = tooBig ? "plain" : null,
            AttachmentLayout = tooBig ? null : "list",
            Attachments = tooBig ? null : [new Attachment { ContentType = AdaptiveCardContentType, Content = card }],
        };
    }
}
