using System.Text.Json;
using System.Text.Json.Serialization;
using KpiBot.Channels.Inbox;
using KpiBot.Conversation;

namespace KpiBot.Channels.Slack;

/// <summary>
/// One Slack delivery for the bot, as accepted into the durable inbox: everything needed to run the bot and
/// reply later, also after a restart (<see cref="ReceivedAt"/> stays the day the person typed it).
/// </summary>
public sealed record SlackBotWork(
    string TeamId,
    string UserId,
    string? UserName,
    string Text,
    string SourceId,
    string? ChannelId,
    string? ChannelName,
    ConversationKind Kind,
    FormSubmission? Form,
    DateTimeOffset ReceivedAt,
    SlackReplyTarget? Target);

/// <summary>Runs accepted Slack work from the durable inbox: the bot, then the reply.</summary>
public sealed class SlackBotWorkHandler(IServiceProvider services) : IInboxHandler
{
    /// <summary>The inbox kind of Slack bot work.</summary>
    public const string Kind = "slack.bot";

    /// <inheritdoc />
    public Task HandleAsync(string payload, CancellationToken cancellationToken)
    {
        var work = JsonSerializer.Deserialize(payload, SlackInboxJson.Default.SlackBotWork) ?? throw new JsonException("An empty Slack inbox item.");
        return SlackInbound.RunBotAsync(services, work.TeamId, work.UserId, work.UserName, work.Text, work.SourceId,
            work.ChannelId, work.ChannelName, work.Kind, work.Form, work.ReceivedAt, work.Target, cancellationToken);
    }
}

/// <summary>Source-generated JSON of inbox items (KpiBot's own format, not Slack's wire format).</summary>
[JsonSerializable(typeof(SlackBotWork))]
public sealed partial class SlackInboxJson : JsonSerializerContext;
