using System.Text.Json;
using System.Text.Json.Nodes;
using KpiBot.Channels.Inbox;
using KpiBot.Channels.Teams.Adapter;
using KpiBot.Channels.Teams.Connector;
using KpiBot.Channels.Teams.Schema;
using KpiBot.Conversation;
using KpiBot.Domain;
using KpiBot.Replies;
using KpiBot.Scheduling;
using KpiBot.Storage;

namespace KpiBot.Channels.Teams;

/// <summary>What <c>/api/messages</c> answers for one activity.</summary>
/// <param name="StatusCode">The HTTP status.</param>
/// <param name="InvokeBody">The invoke response body (Action.Execute), or null for an empty body.</param>
public sealed record TeamsHttpResult(int StatusCode, AdaptiveCardInvokeResponse? InvokeBody = null)
{
    /// <summary>Acknowledged with an empty body (all non-invoke activities).</summary>
    public static TeamsHttpResult Accepted { get; } = new(StatusCodes.Status200OK);
}

/// <summary>
/// Routes one verified activity: messages and card submits go to the bot (after the acknowledgement),
/// installs record the conversation and the first admin and post a welcome card, Action.Execute invokes
/// are answered synchronously with the refreshed card. Never sees HTTP: the endpoint passes the parsed
/// activity in and writes the <see cref="TeamsHttpResult"/> out.
/// </summary>
public sealed class TeamsActivityHandler
{
    /// <summary>The invoke name of Universal Actions (Action.Execute).</summary>
    public const string AdaptiveCardActionInvoke = "adaptiveCard/action";

    private const string ErrorType = "application/vnd.microsoft.error";
    private const string MessageType = "application/vnd.microsoft.activity.message";

    private readonly IServiceScopeFactory _scopes;
    private readonly IKpiStore _store;
    private readonly IConversationDirectory _directory;
    private readonly TeamsReplyBuilder _replies;
    private readonly TeamsMessenger _messenger;
    private readonly TeamsWorkQueue _queue;
    private readonly DurableInbox _inbox;
    private readonly TimeProvider _time;
    private readonly ILogger<TeamsActivityHandler> _logger;
    private readonly DefaultNudgeSetup? _defaultNudges;

    /// <summary>Creates the handler; <paramref name="defaultNudges"/> (optional) gives a team channel its weekly nudge on install.</summary>
    public TeamsActivityHandler(
        IServiceScopeFactory scopes,
        IKpiStore store,
        IConversationDirectory directory,
        TeamsReplyBuilder replies,
        TeamsMessenger messenger,
        TeamsWorkQueue queue,
        DurableInbox inbox,
        TimeProvider time,
        ILogger<TeamsActivityHandler> logger,
        DefaultNudgeSetup? defaultNudges = null)
    {
        _defaultNudges = defaultNudges;
        _scopes = scopes;
        _store = store;
        _directory = directory;
        _replies = replies;
        _messenger = messenger;
        _queue = queue;
        _inbox = inbox;
        _time = time;
        _logger = logger;
    }

    /// <summary>Handles a verified, parsed activity.</summary>
    public Task<TeamsHttpResult> HandleAsync(Activity activity, CancellationToken cancellationToken) => activity.Type switch
    {
        "message" => Task.FromResult(OnMessage(activity)),
        "conversationUpdate" => OnConversationUpdateAsync(activity, cancellationToken),
        "installationUpdate" => OnInstallationUpdateAsync(activity, cancellationToken),
        "invoke" => OnInvokeAsync(activity, cancellationToken),
        // typing, messageReaction, event, …: acknowledged and ignored, as the Bot Framework expects.
        _ => Task.FromResult(TeamsHttpResult.Accepted),
    };

    private TeamsHttpResult OnMessage(Activity activity)
    {
        if (TeamsActivityMapper.DeliveryKeyOf(activity) is not { } key || TeamsActivityMapper.WorkspaceIdOf(activity) is null)
        {
            _logger.LogWarning("Teams: message without id, conversation or tenant ignored");
            return new(StatusCodes.Status400BadRequest);
        }

        var now = _time.GetUtcNow();
        if (TeamsActivityMapper.ToIncomingMessage(activity, now) is null)
        {
            RememberConversation(activity, now);
            return TeamsHttpResult.Accepted;
        }

        // On disk before the 200: the Connector does not redeliver an acknowledged activity, so a crash after
        // this point must not lose the numbers in it. The activity id is the key, so a redelivery is dropped.
        var payload = JsonSerializer.Serialize(new TeamsAcceptedMessage(activity, now), TeamsJsonContext.Default.TeamsAcceptedMessage);
        if (_inbox.TryAccept(key, TeamsMessageWork.Kind, payload) == InboxAcceptance.Duplicate)
        {
            _logger.LogInformation("Teams: redelivered activity {ActivityId} acknowledged and dropped", activity.Id);
            return TeamsHttpResult.Accepted;
        }

        RememberConversation(activity, now);
        return TeamsHttpResult.Accepted;
    }

    /// <summary>
    /// The work after the acknowledgement (run by the durable inbox, again after a restart): the bot answers
    /// the message and the replies go to its conversation.
    /// </summary>
    public async Task ProcessAcceptedMessageAsync(TeamsAcceptedMessage accepted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accepted);
        if (TeamsActivityMapper.ToIncomingMessage(accepted.Activity, accepted.ReceivedAt) is not { } message)
        {
            return;
        }
        var response = await AskBotAsync(message, cancellationToken).ConfigureAwait(false);
        await ReplyAllAsync(accepted.Activity, response.Replies, cancellationToken).ConfigureAwait(false);
    }

    private async Task<TeamsHttpResult> OnConversationUpdateAsync(Activity activity, CancellationToken cancellationToken)
    {
        var botId = activity.Recipient?.Id;
        if (IsBot(activity.MembersRemoved, botId))
        {
            Forget(activity, "the bot was removed from the conversation");
            return TeamsHttpResult.Accepted;
        }

        RememberConversation(activity, _time.GetUtcNow());
        if (IsBot(activity.MembersAdded, botId))
        {
            await InstallAsync(activity, cancellationToken).ConfigureAwait(false);
        }

        return TeamsHttpResult.Accepted;
    }

    private async Task<TeamsHttpResult> OnInstallationUpdateAsync(Activity activity, CancellationToken cancellationToken)
    {
        // action is "add", "remove", or "add-upgrade"/"remove-upgrade" when the app is updated.
        var action = activity.Action ?? "";
        if (action.StartsWith("remove", StringComparison.OrdinalIgnoreCase))
        {
            Forget(activity, "the app was uninstalled");
        }
        else if (action.StartsWith("add", StringComparison.OrdinalIgnoreCase))
        {
            RememberConversation(activity, _time.GetUtcNow());
            await InstallAsync(activity, cancellationToken).ConfigureAwait(false);
        }

        return TeamsHttpResult.Accepted;
    }

    private async Task<TeamsHttpResult> OnInvokeAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (!string.Equals(activity.Name, AdaptiveCardActionInvoke, StringComparison.Ordinal))
        {
            // Task modules, message extensions, … are not part of KpiBot (the SDK answers 501 too).
            return new TeamsHttpResult(StatusCodes.Status501NotImplemented);
        }

        if (activity.Value is not { ValueKind: JsonValueKind.Object } value
            || !value.TryGetProperty("action", out var action)
            || action.ValueKind != JsonValueKind.Object)
        {
            return Error(StatusCodes.Status400BadRequest, "BadRequest", "The invoke value has no 'action' object.");
        }

        var actionType = action.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString() : null;
        if (!string.Equals(actionType, "Action.Execute", StringComparison.Ordinal))
        {
            return Error(StatusCodes.Status400BadRequest, "NotSupported", $"The action type '{actionType}' is not supported; KpiBot cards use Action.Execute.");
        }

        if (TeamsActivityMapper.DeliveryKeyOf(activity) is not { } key)
        {
            return Error(StatusCodes.Status400BadRequest, "BadRequest", "The invoke has no id or conversation.");
        }

        var now = _time.GetUtcNow();
        if (!_store.TryMarkInboundProcessed(key, now))
        {
            return new TeamsHttpResult(StatusCodes.Status200OK, new AdaptiveCardInvokeResponse(200, MessageType, JsonValue.Create("Already done.")));
        }

        RememberConversation(activity, now);
        var data = action.TryGetProperty("data", out var d) ? d : default;
        var verb = action.TryGetProperty("verb", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        if (TeamsActivityMapper.ToIncomingMessage(activity, data, verb, now) is not { } message)
        {
            return Error(StatusCodes.Status400BadRequest, "BadRequest", "The card action carries neither a command nor a form.");
        }

        // Universal Actions are answered in the HTTP response: the refreshed card replaces the one clicked.
        var response = await AskBotAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.Replies.Count == 0)
        {
            return new TeamsHttpResult(StatusCodes.Status200OK, new AdaptiveCardInvokeResponse(200, MessageType, JsonValue.Create("Done.")));
        }

        var card = _replies.RenderCard(response.Replies[0]);
        var rest = response.Replies.Skip(1).ToList();
        if (rest.Count > 0)
        {
            await _queue.EnqueueAsync(async ct =>
            {
                await ReplyAllAsync(activity, rest, ct).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
        }

        return new TeamsHttpResult(StatusCodes.Status200OK, new AdaptiveCardInvokeResponse(200, TeamsReplyBuilder.AdaptiveCardContentType, card));
    }

    // The conversation engine may hold scoped services, so each activity gets its own scope.
    private async Task<BotResponse> AskBotAsync(IncomingMessage message, CancellationToken cancellationToken)
    {
        var scope = _scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var bot = scope.ServiceProvider.GetRequiredService<IBot>();
            return await bot.HandleAsync(message, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task InstallAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (TeamsActivityMapper.WorkspaceIdOf(activity) is not { } workspaceId || ConversationReferences.AddressOf(activity, _time.GetUtcNow()) is not { } address)
        {
            _logger.LogWarning("Teams: install without tenant or conversation ignored");
            return;
        }

        var now = _time.GetUtcNow();
        var name = activity.ChannelData?.Team?.Name is { Length: > 0 } teamName
            ? teamName
            : TeamsActivityMapper.TenantOf(activity) is { } tenant ? $"Microsoft 365 tenant {tenant}" : "Bot Framework Emulator";
        _store.EnsureWorkspace(workspaceId, Platform.Teams, name, now);
        var installer = EnsureFirstAdmin(workspaceId, activity, now);

        // conversationUpdate and installationUpdate both announce an install: welcome once per conversation.
        if (!_store.TryMarkInboundProcessed($"teams-welcome:{address.Key}", now))
        {
            return;
        }

        // Installed into a team channel: the team gets its weekly nudge there (unless it already has a schedule).
        var nudge = _defaultNudges?.EnsureForChannel(_directory.Find(address.Key) ?? address, TeamsActivityMapper.UserIdOf(activity.From));
        var welcome = Welcome(installer, nudge);
        await _queue.EnqueueAsync(async ct =>
        {
            var message = _replies.BuildMessage(welcome, activity.Recipient, null, new ConversationAccount { Id = address.ConversationId }, null);
            await _messenger.SendAsync(address.ServiceUrl!, address.ConversationId, null, message, address.Key, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The person who installs KpiBot becomes the workspace's first admin, unless it already has one.</summary>
    private Person? EnsureFirstAdmin(string workspaceId, Activity activity, DateTimeOffset now)
    {
        if (TeamsActivityMapper.UserIdOf(activity.From) is not { } userId || activity.From?.AadObjectId is not { Length: > 0 })
        {
            return null;
        }

        var people = _store.ListPeople(workspaceId);
        if (people.Any(p => p.Role == Role.Admin))
        {
            return null;
        }

        var team = _store.ListTeams(workspaceId).FirstOrDefault();
        if (team is null)
        {
            _logger.LogError("Teams: workspace {WorkspaceId} has no team; cannot record the installer", workspaceId);
            return null;
        }

        var existing = _store.FindPersonByPlatformUser(workspaceId, userId);
        var admin = existing is not null
            ? existing with { Role = Role.Admin }
            : new Person($"person-{Guid.NewGuid():N}", workspaceId, team.Id, activity.From.Name is { Length: > 0 } n ? n : "Installer",
                Role.Admin, userId, TeamsActivityMapper.TimeZoneOf(activity), [], null, now);
        var change = new ChangeSet(workspaceId, admin.Id, $"teams-install:{workspaceId}:{userId}",
            $"{admin.DisplayName} installed KpiBot and became its first admin", now, [], [], [admin], []);
        _store.Apply(change);
        _logger.LogInformation("Teams: {Name} installed KpiBot in {WorkspaceId} and is its first admin", admin.DisplayName, workspaceId);
        return admin;
    }

    private static Reply Welcome(Person? installer, DefaultNudge? nudge)
    {
        var blocks = new List<ReplyBlock>
        {
            new Heading("Welcome to KpiBot"),
            new Paragraph("Log your numbers in chat and see how you and the team are trending: conversion per phase, pipeline, forecast accuracy and a status per person."),
            new Paragraph("Log a day like this: log booked 5 held 3 qualified 2"),
        };
        if (installer is not null)
        {
            blocks.Add(new Paragraph($"{installer.DisplayName} installed KpiBot and is its first admin (try: timezone Europe/Stockholm, currency SEK, metrics).", Tone.Muted));
        }

        if (nudge is not null)
        {
            blocks.Add(new Paragraph(nudge.Announcement));
        }

        blocks.Add(new Actions([new ReplyAction("How to log", "help logging", Primary: true), new ReplyAction("My stats", "my stats"), new ReplyAction("Help", "help")]));
        return new Reply("Welcome to KpiBot: log your numbers with 'log booked 5 held 3'.", blocks, ReplyVisibility.Conversation);
    }

    /// <summary>Sends the replies in order; stops when the conversation is gone (the rest would be refused too).</summary>
    private async Task ReplyAllAsync(Activity inbound, IReadOnlyList<Reply> replies, CancellationToken cancellationToken)
    {
        var conversation = inbound.Conversation!;
        foreach (var reply in replies)
        {
            var message = _replies.BuildMessage(reply, inbound.Recipient, inbound.From, conversation, inbound.Id);
            var outcome = await _messenger.SendAsync(inbound.ServiceUrl!, conversation.Id!, inbound.Id, message, ConversationReferences.KeyOf(inbound), cancellationToken).ConfigureAwait(false);
            if (outcome.Status == SendStatus.Sent)
            {
                continue;
            }

            _logger.LogWarning("Teams: reply to {ActivityId} not delivered: {Status} {Error}", inbound.Id, outcome.Status, outcome.Error);
            if (outcome.Status == SendStatus.ConversationGone)
            {
                return;
            }
        }
    }

    private void RememberConversation(Activity activity, DateTimeOffset now)
    {
        if (ConversationReferences.AddressOf(activity, now) is { } address)
        {
            _directory.Save(address);
        }
    }

    private void Forget(Activity activity, string reason)
    {
        if (ConversationReferences.KeyOf(activity) is { } key)
        {
            _directory.MarkInactive(key, reason, _time.GetUtcNow());
            _logger.LogInformation("Teams: {Key} inactive: {Reason}", key, reason);
        }
    }

    private static bool IsBot(IReadOnlyList<ChannelAccount>? members, string? botId) =>
        !string.IsNullOrEmpty(botId) && members is not null && members.Any(m => string.Equals(m.Id, botId, StringComparison.Ordinal));

    private static TeamsHttpResult Error(int status, string code, string message) =>
        new(status, new AdaptiveCardInvokeResponse(status, ErrorType,
            JsonSerializer.SerializeToNode(new InvokeError(code, message), TeamsJsonContext.Default.InvokeError)));
}
