using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using KpiBot.Channels.Inbox;
using KpiBot.Conversation;
using KpiBot.Domain;
using KpiBot.Rendering;
using KpiBot.Replies;
using KpiBot.Scheduling;
using KpiBot.Storage;

namespace KpiBot.Channels.Slack;

/// <summary>
/// The answer to give Slack at once (HTTP response or Socket Mode acknowledgement).
/// </summary>
/// <param name="Body">JSON to answer with (an ephemeral message, view errors, a challenge); null for an empty 200.</param>
/// <param name="Malformed">Set when the payload could not be used: HTTP answers 400 with this reason.</param>
/// <param name="RetryLater">KpiBot could not take the delivery now: HTTP answers 503 so Slack retries it later.</param>
public sealed record SlackAck(JsonObject? Body, string? Malformed = null, bool RetryLater = false)
{
    /// <summary>Not taken now; retry later.</summary>
    public static SlackAck Busy { get; } = new(null, null, RetryLater: true);

    /// <summary>An empty 200: "received".</summary>
    public static SlackAck Empty { get; } = new((JsonObject?)null);

    /// <summary>A payload KpiBot cannot use.</summary>
    public static SlackAck Bad(string reason) => new(null, reason);

    /// <summary>An ephemeral message to the person who ran the command.</summary>
    public static SlackAck Ephemeral(string text) =>
        new(JsonSerializer.SerializeToNode(new SlashCommandAckMessage("ephemeral", text), SlackJson.Default.SlashCommandAckMessage)!.AsObject());
}

/// <summary>
/// Slack's three kinds of input — slash commands, events, interactions — handled the same way whatever
/// the transport (HTTP or Socket Mode): check what is needed to answer, acknowledge at once, and queue
/// the real work (identity lookup, the bot, posting the card). Only opening a modal runs before the
/// acknowledgement, because its trigger expires in three seconds.
/// </summary>
public sealed partial class SlackInbound(
    SlackWorkQueue queue,
    DurableInbox inbox,
    SlackWebApi api,
    IBlockKitRenderer renderer,
    IKpiStore store,
    SlackLoggingModal loggingModal,
    TimeProvider clock,
    ILogger<SlackInbound> logger)
{
    /// <summary>What <c>/kpi</c> answers while the bot works.</summary>
    public const string WorkingOnIt = "Working on it…";

    /// <summary>What the App Home asks the bot for: the person's own trend.</summary>
    public const string HomeCommand = "how am I trending";

    /// <summary>The action_id prefix the Block Kit renderer gives a form's launcher button.</summary>
    public const string FormActionPrefix = "form:";

    /// <summary>Longest wait for views.open: the trigger is dead after three seconds anyway.</summary>
    private static readonly TimeSpan ViewsOpenBudget = TimeSpan.FromMilliseconds(2500);

    // ---- slash commands ----------------------------------------------------------------------

    /// <summary>Handles one <c>/kpi</c> invocation.</summary>
    public async Task<SlackAck> HandleCommandAsync(SlackSlashCommand command, CancellationToken cancellationToken)
    {
        var receivedAt = clock.GetUtcNow();
        var workspaceId = SlackIdentityResolver.WorkspaceIdOf(command.TeamId);
        if (command.Text.Length == 0)
        {
            return await OpenLoggingModalAsync(workspaceId, command.UserId, command.TriggerId, command.ChannelId, cancellationToken)
                ?? SlackAck.Empty;
        }

        // Socket Mode re-delivers an envelope it thinks was not acknowledged: the trigger id names the invocation.
        var sourceId = "slack:command:" + (command.TriggerId ?? $"{command.UserId}:{receivedAt.ToUnixTimeMilliseconds()}");
        var kind = SlackConversations.KindOf(command.ChannelId, channelName: command.ChannelName);
        var target = new SlackReplyTarget(command.ChannelId, kind, command.UserId, command.ResponseUrl, receivedAt, ReplaceAcknowledgement: true);
        var accepted = Accept(new SlackBotWork(command.TeamId, command.UserId, command.UserName, command.Text, sourceId,
            command.ChannelId, command.ChannelName, kind, null, receivedAt, target));
        return accepted ? SlackAck.Ephemeral(WorkingOnIt) : SlackAck.Empty;
    }

    // ---- events -----------------------------------------------------------------------------

    /// <summary>Handles one Events API delivery.</summary>
    public SlackAck HandleEvent(SlackEventEnvelope envelope, int retryNumber)
    {
        if (envelope.Type == "url_verification")
        {
            return string.IsNullOrEmpty(envelope.Challenge)
                ? SlackAck.Bad("url_verification without a 'challenge'")
                : new SlackAck(JsonSerializer.SerializeToNode(new ChallengeAck(envelope.Challenge), SlackJson.Default.ChallengeAck)!.AsObject());
        }
        if (envelope.Type != "event_callback")
        {
            logger.LogInformation("Ignored a Slack delivery of type {Type}", envelope.Type);
            return SlackAck.Empty;
        }
        if (envelope.Event is not { } ev || string.IsNullOrEmpty(envelope.TeamId) || string.IsNullOrEmpty(envelope.EventId))
        {
            return SlackAck.Bad("event_callback needs 'team_id', 'event_id' and 'event'");
        }

        var selfIds = envelope.BotUserIds.Concat(envelope.AuthedUsers ?? []).ToHashSet(StringComparer.Ordinal);
        var wanted = ev.Type switch
        {
            "app_mention" => true,
            "message" => ev.ChannelType == "im",
            "app_home_opened" => ev.Tab is null or "home",
            _ => false,
        };
        // Bots (KpiBot's own posts above all), edits, joins and other subtypes would loop or double-count.
        if (!wanted || ev.BotId is not null || ev.Subtype is not null || string.IsNullOrEmpty(ev.User)
            || (ev.Type != "app_home_opened" && selfIds.Contains(ev.User)))
        {
            return SlackAck.Empty;
        }

        var now = clock.GetUtcNow();
        // event_id is the same on every retry; client_msg_id joins one typed message arriving as two events.
        string[] deliveryKeys = ev.ClientMsgId is { Length: > 0 } clientMsgId
            ? ["slack:event:" + envelope.EventId, "slack:message:" + clientMsgId]
            : ["slack:event:" + envelope.EventId];
        if (retryNumber > 0)
        {
            logger.LogInformation("Slack retry {Retry} of event {EventId}", retryNumber, envelope.EventId);
        }

        var teamId = envelope.TeamId;
        if (ev.Type != "app_home_opened")
        {
            // A message carries numbers: it goes through the durable inbox, keyed by the message (client_msg_id
            // when Slack sends one, so an app_mention and its message.im twin, and every retry, are one item).
            var kind = SlackConversations.KindOf(ev.Channel, ev.ChannelType);
            var text = StripMentions(ev.Text ?? "", selfIds, ev.Type == "app_mention");
            var sourceId = ev.ClientMsgId is { Length: > 0 } id ? "slack:message:" + id : "slack:event:" + envelope.EventId;
            var target = new SlackReplyTarget(ev.Channel!, kind, ev.User!, null, now, ThreadTs: ev.ThreadTs);
            Accept(new SlackBotWork(teamId, ev.User!, null, text.Length == 0 ? "help" : text, sourceId, ev.Channel, null, kind, null, now, target));
            return SlackAck.Empty;
        }
        var queued = queue.TryEnqueue(Once($"App Home for {ev.User}", deliveryKeys, now, (services, ct) => PublishHomeAsync(services, teamId, ev, envelope.EventId, now, ct)));
        if (!queued)
        {
            // 503 makes Slack retry later, when the queue has room again.
            logger.LogError("Slack work queue full: event {EventId} refused for a later retry", envelope.EventId);
            return SlackAck.Busy;
        }
        return SlackAck.Empty;
    }

    // ---- interactions -----------------------------------------------------------------------

    /// <summary>Handles one interaction (a button, a modal submission).</summary>
    public async Task<SlackAck> HandleInteractionAsync(SlackInteraction interaction, CancellationToken cancellationToken)
    {
        var teamId = interaction.Team?.Id ?? interaction.User?.TeamId;
        var userId = interaction.User?.Id;
        if (string.IsNullOrEmpty(interaction.Type) || string.IsNullOrEmpty(teamId) || string.IsNullOrEmpty(userId))
        {
            return SlackAck.Bad("the interaction payload needs 'type', 'team.id' and 'user.id'");
        }
        var workspaceId = SlackIdentityResolver.WorkspaceIdOf(teamId);
        var now = clock.GetUtcNow();
        switch (interaction.Type)
        {
            case "block_actions":
                return await HandleBlockActionAsync(interaction, teamId, userId, workspaceId, now, cancellationToken);
            case "view_submission" when interaction.View?.CallbackId == SlackLoggingModal.CallbackId:
                return HandleLoggingSubmission(interaction.View, teamId, userId, workspaceId, interaction.User?.Name, now);
            default:
                return SlackAck.Empty;
        }
    }

    private async Task<SlackAck> HandleBlockActionAsync(SlackInteraction interaction, string teamId, string userId, string workspaceId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var action = interaction.Actions?.FirstOrDefault(a => !string.IsNullOrWhiteSpace(a.Value));
        if (action?.Value is not { } commandText)
        {
            return SlackAck.Empty;
        }
        var channelId = interaction.Channel?.Id ?? interaction.Container?.ChannelId;
        // A form in a reply is rendered as a launcher button (action_id "form:<id>", value = form id):
        // the logging form opens as the modal; a typed "log" button does the same.
        var opensForm = action.ActionId?.StartsWith(FormActionPrefix, StringComparison.Ordinal) == true;
        if (opensForm && !commandText.Equals(SlackLoggingModal.FormId, StringComparison.OrdinalIgnoreCase))
        {
            logger.LogWarning("A button asked for form {FormId}, which Slack cannot show as a modal", commandText);
            return SlackAck.Empty;
        }
        if ((opensForm || commandText.Trim().Equals(SlackLoggingModal.OpenCommand, StringComparison.OrdinalIgnoreCase)) && interaction.TriggerId is not null)
        {
            var failed = await OpenLoggingModalAsync(workspaceId, userId, interaction.TriggerId, channelId, cancellationToken);
            if (failed is null)
            {
                return SlackAck.Empty;
            }
        }
        var sourceId = "slack:action:" + (interaction.TriggerId ?? $"{userId}:{action.ActionTs}");
        var kind = channelId is null ? ConversationKind.Personal : SlackConversations.KindOf(channelId, channelName: interaction.Channel?.Name);
        var target = channelId is null ? null : new SlackReplyTarget(channelId, kind, userId, interaction.ResponseUrl, now);
        Accept(new SlackBotWork(teamId, userId, interaction.User?.Name, commandText, sourceId, channelId, interaction.Channel?.Name, kind, null, now, target));
        return SlackAck.Empty;
    }

    private SlackAck HandleLoggingSubmission(SlackView view, string teamId, string userId, string workspaceId, string? userName, DateTimeOffset now)
    {
        var today = TodayFor(workspaceId, userId, now);
        var form = loggingModal.Build(workspaceId, userId, today);
        var check = SlackLoggingModal.Check(form, SlackLoggingModal.ReadState(form, view.State), today);
        if (check.Errors.Count > 0)
        {
            return new SlackAck(JsonSerializer.SerializeToNode(new ViewErrorsAck("errors", check.Errors), SlackJson.Default.ViewErrorsAck)!.AsObject());
        }
        // One submission of one version of the view: Slack changes the hash whenever the view changes.
        var sourceId = $"slack:view:{view.Id}:{view.Hash}";
        Accept(new SlackBotWork(teamId, userId, userName, check.Command!, sourceId, null, null, ConversationKind.Personal, check.Submission, now, Target: null));
        return SlackAck.Empty;
    }

    /// <summary>
    /// Puts work that may carry numbers into the durable inbox BEFORE Slack is acknowledged: Slack does not
    /// retry an acknowledged delivery, so after a crash the inbox replays it instead. The source id is the key,
    /// so a retry (or a Socket Mode redelivery) is recognised; false then.
    /// </summary>
    private bool Accept(SlackBotWork work)
    {
        if (inbox.TryAccept(work.SourceId, SlackBotWorkHandler.Kind, JsonSerializer.Serialize(work, SlackInboxJson.Default.SlackBotWork)) == InboxAcceptance.Accepted)
        {
            return true;
        }
        logger.LogInformation("Dropped Slack delivery {Key}: already accepted", work.SourceId);
        return false;
    }

    // ---- shared work ------------------------------------------------------------------------

    /// <summary>
    /// Work that runs once per delivery: its first step records <paramref name="deliveryKeys"/> with the
    /// store (durably, so a restart does not forget) and drops the work when any was seen before. Done in
    /// the background, not before the acknowledgement: the acknowledgement then never waits on a disk write,
    /// and a retry that races the first delivery still finds the key taken.
    /// </summary>
    private SlackWorkItem Once(string description, string[] deliveryKeys, DateTimeOffset at, Func<IServiceProvider, CancellationToken, Task> run) =>
        new(description, async (services, ct) =>
        {
            var store = services.GetRequiredService<IKpiStore>();
            foreach (var key in deliveryKeys)
            {
                if (!store.TryMarkInboundProcessed(key, at))
                {
                    logger.LogInformation("Dropped Slack delivery {Key}: already handled", key);
                    return;
                }
            }
            await run(services, ct);
        });


    private async Task<SlackAck?> OpenLoggingModalAsync(string workspaceId, string userId, string? triggerId, string? channelId, CancellationToken cancellationToken)
    {
        const string instead = "Type the numbers instead, e.g. /kpi log booked 5 held 3.";
        if (triggerId is null)
        {
            return SlackAck.Ephemeral("I could not open the logging form (Slack sent no trigger_id). " + instead);
        }
        var form = loggingModal.Build(workspaceId, userId, TodayFor(workspaceId, userId, clock.GetUtcNow()));
        var view = renderer.RenderModal(form, SlackLoggingModal.CallbackId, channelId);
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(ViewsOpenBudget);
        SlackApiResult<ViewResponse> opened;
        try
        {
            opened = await api.OpenViewAsync(new ViewsOpenRequest(triggerId, view), budget.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            opened = new(null, "timeout");
        }
        if (opened.Ok)
        {
            return null;
        }
        return SlackAck.Ephemeral(opened.Error switch
        {
            "expired_trigger_id" or "timeout" => "The logging form took too long to open. " + instead,
            "not_configured" => "KpiBot has no Slack bot token configured, so it cannot open forms. " + instead,
            _ => $"I could not open the logging form ({opened.Error}). " + instead,
        });
    }

    internal static async Task RunBotAsync(
        IServiceProvider services, string teamId, string userId, string? userName, string text, string sourceId,
        string? channelId, string? channelName, ConversationKind kind, FormSubmission? form, DateTimeOffset receivedAt,
        SlackReplyTarget? target, CancellationToken cancellationToken)
    {
        var identity = await services.GetRequiredService<SlackIdentityResolver>().ResolveAsync(teamId, userId, userName, cancellationToken);
        if (channelId is not null)
        {
            services.GetRequiredService<SlackConversationRecorder>().Record(teamId, channelId, kind, channelName, userId);
        }
        var message = new IncomingMessage(
            Platform.Slack, SlackIdentityResolver.WorkspaceIdOf(teamId), userId, identity.DisplayName, text, sourceId,
            channelId, kind, identity.TimeZoneId, form, receivedAt);
        var sender = services.GetRequiredService<SlackReplySender>();
        BotResponse response;
        try
        {
            response = await services.GetRequiredService<IBot>().HandleAsync(message, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            services.GetRequiredService<ILogger<SlackInbound>>().LogError(ex, "The bot failed on Slack message {SourceId}", sourceId);
            const string sorry = "Sorry, KpiBot hit an error answering that. Please try again; type undo afterwards if it was logged twice.";
            if (target is not null)
            {
                await sender.SendNoticeAsync(target, sorry, cancellationToken);
            }
            else
            {
                await sender.SendDirectAsync(userId, [Reply.Text(sorry, Tone.Attention)], cancellationToken);
            }
            return;
        }
        var replies = response.Replies;
        if (kind == ConversationKind.Channel && channelId is not null && services.GetService<DefaultNudgeSetup>() is { } defaults)
        {
            // The first command typed in a channel is where KpiBot first sees a Slack team channel (the bot's own
            // member_joined_channel is not subscribed): the team gets its weekly nudge here unless it has one.
            var address = services.GetService<IConversationDirectory>()?.Find(ConversationAddress.KeyOf(Platform.Slack, message.WorkspaceId, channelId));
            if (address is not null && defaults.EnsureForChannel(address, userId) is { } nudge)
            {
                replies = [.. replies, nudge.ToReply()];
            }
        }
        if (target is null)
        {
            await sender.SendDirectAsync(userId, replies, cancellationToken);
        }
        else
        {
            await sender.SendAsync(target, replies, cancellationToken);
        }
    }

    private async Task PublishHomeAsync(IServiceProvider services, string teamId, SlackEvent ev, string eventId, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var userId = ev.User!;
        var identity = await services.GetRequiredService<SlackIdentityResolver>().ResolveAsync(teamId, userId, null, cancellationToken);
        if (ev.Channel is { Length: > 0 } dm)
        {
            services.GetRequiredService<SlackConversationRecorder>().Record(teamId, dm, ConversationKind.Personal, null, userId);
        }
        var message = new IncomingMessage(
            Platform.Slack, SlackIdentityResolver.WorkspaceIdOf(teamId), userId, identity.DisplayName, HomeCommand, "slack:home:" + eventId,
            ev.Channel, ConversationKind.Personal, identity.TimeZoneId, null, receivedAt);
        var response = await services.GetRequiredService<IBot>().HandleAsync(message, cancellationToken);
        var view = BuildHomeView(response.Replies);
        await api.PublishViewAsync(new ViewsPublishRequest(userId, view), cancellationToken);
    }

    /// <summary>The App Home: the person's trend, then buttons for what they do most.</summary>
    internal JsonObject BuildHomeView(IReadOnlyList<Reply> replies)
    {
        var blocks = new JsonArray();
        var shortcuts = new Reply("What next", [new Actions([
            new ReplyAction("Log numbers", SlackLoggingModal.OpenCommand, Primary: true),
            new ReplyAction("My funnel", "my funnel"),
            new ReplyAction("My week", "my week"),
            new ReplyAction("Help", "help"),
        ])]);
        foreach (var reply in replies.Append(shortcuts))
        {
            foreach (var block in renderer.Render(reply).Blocks)
            {
                blocks.Add(block?.DeepClone());
            }
        }
        var fitted = SlackBlockKitLimits.Fit(new SlackMessage("KpiBot", blocks), SlackBlockKitLimits.MaxViewBlocks);
        return new JsonObject { ["type"] = "home", ["blocks"] = fitted.Blocks };
    }

    /// <summary>The person's local date: their zone when known, else their team's, else UTC.</summary>
    private DateOnly TodayFor(string workspaceId, string userId, DateTimeOffset now)
    {
        var person = store.FindPersonByPlatformUser(workspaceId, userId);
        var zoneId = person?.TimeZoneId
            ?? (person is null ? store.ListTeams(workspaceId).FirstOrDefault() : store.FindTeam(workspaceId, person.TeamId))?.Settings.TimeZoneId;
        var zone = TimeZoneInfo.Utc;
        if (zoneId is not null && TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var found))
        {
            zone = found;
        }
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
    }

    /// <summary>Removes KpiBot's own mentions (<c>&lt;@U123&gt;</c>); on an app_mention a leading mention is always KpiBot.</summary>
    internal static string StripMentions(string text, IReadOnlySet<string> botUserIds, bool isMention)
    {
        var stripped = MentionPattern().Replace(text, m => botUserIds.Contains(m.Groups["id"].Value) ? " " : m.Value);
        if (isMention && stripped == text)
        {
            stripped = LeadingMentionPattern().Replace(text, "", 1);
        }
        return string.Join(' ', stripped.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [GeneratedRegex(@"<@(?<id>[UW][A-Z0-9]+)(\|[^>]*)?>")]
    private static partial Regex MentionPattern();

    [GeneratedRegex(@"^\s*<@[UW][A-Z0-9]+(\|[^>]*)?>")]
    private static partial Regex LeadingMentionPattern();
}
