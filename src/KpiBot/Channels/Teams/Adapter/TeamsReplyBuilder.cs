using System.Net;
using System.Text;
using System.Text.Json;
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
        var (mentionText, mentionEntities) = MentionsOf(reply);
        var text = tooBig ? reply.Summary : null;
        if (mentionText is not null)
        {
            text = text is null ? mentionText : text + "\n\n" + mentionText;
        }
        return new Activity
        {
            Type = "message",
            From = bot is null ? null : new ChannelAccount { Id = bot.Id, Name = bot.Name },
            Recipient = user is null ? null : new ChannelAccount { Id = user.Id, Name = user.Name, AadObjectId = user.AadObjectId },
            Conversation = new ConversationAccount { Id = conversation.Id, ConversationType = conversation.ConversationType, TenantId = conversation.TenantId, IsGroup = conversation.IsGroup },
            ReplyToId = replyToId,
            Summary = reply.Summary,
            Text = text,
            TextFormat = tooBig && mentionText is null ? "plain" : null,
            Entities = mentionEntities,
            AttachmentLayout = tooBig ? null : "list",
            Attachments = tooBig ? null : [new Attachment { ContentType = AdaptiveCardContentType, Content = card }],
        };
    }

    /// <summary>
    /// The people of the reply's <see cref="Mentions"/> blocks as Teams mentions. Adaptive Card 1.5's schema has
    /// no <c>msteams.entities</c>, so the notification travels the way the Bot Framework mentions people in a
    /// message: the activity's <c>text</c> carries <c>&lt;at&gt;Name&lt;/at&gt;</c> and <c>entities</c> one
    /// <c>{"type":"mention","mentioned":{"id","name"},"text":"&lt;at&gt;Name&lt;/at&gt;"}</c> per person
    /// (learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/channel-and-group-conversations,
    /// "Add mentions to your messages"). The id is the person's Teams user id (29:…) or Microsoft Entra object id;
    /// a person known by neither is written as a plain name and notified by nobody.
    /// </summary>
    private static (string? Text, IReadOnlyList<JsonElement>? Entities) MentionsOf(Reply reply)
    {
        var lines = new List<string>();
        var entities = new List<JsonElement>();
        foreach (var block in reply.Blocks.OfType<Mentions>())
        {
            var names = new List<string>();
            foreach (var person in block.People)
            {
                var name = WebUtility.HtmlEncode(person.DisplayName);
                if (!IsTeamsUserId(person.PlatformUserId))
                {
                    names.Add(name);
                    continue;
                }
                var tag = $"<at>{name}</at>";
                names.Add(tag);
                entities.Add(JsonSerializer.SerializeToElement(new JsonObject
                {
                    ["type"] = "mention",
                    ["mentioned"] = new JsonObject { ["id"] = person.PlatformUserId, ["name"] = person.DisplayName },
                    ["text"] = tag,
                }));
            }
            if (names.Count > 0)
            {
                lines.Add(WebUtility.HtmlEncode(block.Lead) + " " + string.Join(", ", names));
            }
        }
        return lines.Count == 0 ? (null, null) : (string.Join("\n\n", lines), entities.Count == 0 ? null : entities);
    }

    /// <summary>A Teams user id (<c>29:…</c>, <c>8:orgid:…</c>) or a Microsoft Entra object id (a GUID).</summary>
    private static bool IsTeamsUserId(string? id) =>
        !string.IsNullOrWhiteSpace(id)
        && (id.StartsWith("29:", StringComparison.Ordinal) || id.StartsWith("8:orgid:", StringComparison.Ordinal) || Guid.TryParse(id, out _));
}
