using KpiBot.Conversation.Parsing;
using KpiBot.Conversation.Routing;
using KpiBot.Domain;
using KpiBot.Replies;
using KpiBot.Storage;

namespace KpiBot.Conversation;

/// <summary>
/// The conversation engine. For each message: find the workspace (the first person to talk in it becomes its
/// admin), find or link or create the person, keep their time zone current, work out their local today, parse,
/// pick the one command that takes the message, check the role, run it. Never throws for user input.
/// </summary>
public sealed partial class Bot(IKpiStore store, CommandTable commands, TimeProvider clock, Commands.TeamBaselineCache baselines, ILogger<Bot> logger) : IBot
{
    /// <summary>Author id of the bookkeeping changes the bot makes itself (new people, time zones), so a user's <c>undo</c> never reverts them.</summary>
    public const string SystemAuthor = "kpibot";

    private static readonly HashSet<string> Greetings = new(StringComparer.Ordinal) { "", "hi", "hello", "hey", "hej", "hallo", "start", "yo" };

    /// <inheritdoc />
    public async Task<BotResponse> HandleAsync(IncomingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (string.IsNullOrWhiteSpace(message.WorkspaceId) || string.IsNullOrWhiteSpace(message.UserId))
        {
            return BotResponse.Of(Reply.Text("This message has no workspace or user, so I can't tell whose numbers they are. Nothing was stored.", Tone.Attention));
        }
        try
        {
            return await HandleCoreAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // The bot must answer every user message; a failure is logged and reported plainly.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogFailure(logger, exception, message.WorkspaceId, message.SourceId);
            return BotResponse.Of(ConversationReplies.InternalProblem());
        }
    }

    /// <summary>
    /// The name a workspace (and its default team) gets when KpiBot first hears from it: the local page's own
    /// workspace name; for Slack, whose messages carry only an id, the store's default team name ("Sales").
    /// </summary>
    private async Task<BotResponse> HandleCoreAsync(IncomingMessage message, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var workspace = store.EnsureWorkspace(message.WorkspaceId, message.Platform, Workspace.FirstContactName(message.WorkspaceId, message.Platform), now);
        var (person, isNew, isFirst) = IdentifyPerson(workspace, message, now);
        var team = store.FindTeam(workspace.Id, person.TeamId) ?? store.ListTeams(workspace.Id).FirstOrDefault()
            ?? throw new InvalidOperationException($"Workspace {workspace.Id} has no team.");
        var today = LocalToday(now, person.TimeZoneId ?? team.Settings.TimeZoneId);
        var parsing = ParseContext.For(team, today);
        var context = new CommandContext(message, workspace, team, person, store, clock, today, parsing);

        var replies = new List<Reply>();
        var text = message.Text?.Trim() ?? string.Empty;
        if (isNew)
        {
            replies.Add(ConversationReplies.Welcome(person, isFirst));
            if (message.Form is null && Greetings.Contains(TextTools.Fold(text).Trim('!', '.', ' ')))
            {
                return new BotResponse(replies);
            }
        }
        else if (message.Form is null && Greetings.Contains(TextTools.Fold(text).Trim('!', '.', ' ')))
        {
            var hello = $"Hi {ConversationReplies.FirstName(person.DisplayName)}! Log with \"booked 5 held 3\", ask \"how am I trending\", or type \"help\".";
            return BotResponse.Of(new Reply(hello, [new Paragraph(hello), new Actions([new ReplyAction("My week", "my week"), new ReplyAction("How am I trending", "how am I trending"), new ReplyAction("Help", "help")])]));
        }

        var response = await RouteAsync(text, context, cancellationToken).ConfigureAwait(false);
        replies.AddRange(response.Replies);
        return new BotResponse(replies);
    }

    /// <summary>Parses and runs one message for an identified person (also used by tests and the command line).</summary>
    public async Task<BotResponse> RouteAsync(string text, CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(context);
        ParsedCommand? parsed = null;
        ParseError? error = null;
        if (context.Message.Form is null)
        {
            CommandParser.TryParse(text, context.Parsing, out parsed, out error);
        }
        var matchContext = new MatchContext(text, parsed, error, context.Message.Form, context.Person.Role, context.Parsing);

        foreach (var command in commands.Commands)
        {
            var match = command.TryMatch(text, matchContext);
            if (match is null)
            {
                continue;
            }
            var description = command.Describe();
            if (context.Person.Role < description.MinimumRole)
            {
                return BotResponse.Of(ConversationReplies.NotAllowed(description.Summary.TrimEnd('.').ToLowerInvariant(), description.MinimumRole));
            }
            try
            {
                return await command.HandleAsync(match, context, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                // Any command may have written; cached team baselines of this workspace are stale now.
                if (match.Arguments is not QuestionCommand)
                {
                    baselines.Invalidate(context.Workspace.Id);
                }
            }
        }

        if (context.Message.Form is not null)
        {
            return BotResponse.Of(Reply.Text($"I don't know the form \"{context.Message.Form.FormId}\". Nothing was stored.", Tone.Attention));
        }
        return BotResponse.Of(ConversationReplies.ParseProblem(
            error ?? new ParseError(string.Empty, 0, "That is not a command I know.", "help"), text));
    }

    private (Person Person, bool IsNew, bool IsFirst) IdentifyPerson(Workspace workspace, IncomingMessage message, DateTimeOffset now)
    {
        var person = store.FindPersonByPlatformUser(workspace.Id, message.UserId);
        if (person is not null)
        {
            var updated = RefreshTimeZone(person, message.TimeZoneId);
            if (updated is not null)
            {
                ApplySystem(workspace.Id, $"tz:{person.Id}:{message.SourceId}", $"time zone of {person.DisplayName} set to {updated.TimeZoneId}", now, updated);
                person = updated;
            }
            return (person, false, false);
        }

        var people = store.ListPeople(workspace.Id);
        var displayName = string.IsNullOrWhiteSpace(message.UserName) ? message.UserId : message.UserName.Trim();
        var zone = ValidZone(message.TimeZoneId);

        // A person created by a CRM import (no chat user yet) with the same name: link instead of duplicating.
        var folded = TextTools.Fold(displayName);
        var imported = people.Where(p => p.PlatformUserId is null && TextTools.Fold(p.DisplayName) == folded).ToList();
        if (imported.Count == 1)
        {
            var linked = imported[0] with { PlatformUserId = message.UserId, TimeZoneId = zone ?? imported[0].TimeZoneId };
            ApplySystem(workspace.Id, $"link:{message.UserId}", $"{linked.DisplayName} linked to chat user {message.UserId}", now, linked);
            return (linked, true, false);
        }

        var isFirst = people.Count == 0;
        var teamId = store.ListTeams(workspace.Id).Select(t => t.Id).DefaultIfEmpty(TeamIds.Default).First();
        var created = new Person(
            Id: NewId(),
            WorkspaceId: workspace.Id,
            TeamId: teamId,
            DisplayName: displayName,
            Role: isFirst ? Role.Admin : Role.Rep,
            PlatformUserId: message.UserId,
            TimeZoneId: zone,
            Away: [],
            ManagerId: null,
            CreatedAt: now);
        var result = ApplySystem(workspace.Id, $"person:{message.UserId}", $"{displayName} joined", now, created);
        if (result.Duplicate)
        {
            // Two first messages raced; the other one created the person.
            var existing = store.FindPersonByPlatformUser(workspace.Id, message.UserId);
            if (existing is not null)
            {
                return (existing, false, false);
            }
        }
        return (created, true, isFirst);
    }

    private static Person? RefreshTimeZone(Person person, string? reported)
    {
        var zone = ValidZone(reported);
        return zone is not null && !string.Equals(zone, person.TimeZoneId, StringComparison.Ordinal) ? person with { TimeZoneId = zone } : null;
    }

    private static string? ValidZone(string? zone) =>
        !string.IsNullOrWhiteSpace(zone) && TimeZoneInfo.TryFindSystemTimeZoneById(zone, out var found) ? found.Id : null;

    private ApplyResult ApplySystem(string workspaceId, string sourceId, string summary, DateTimeOffset now, Person person) =>
        store.Apply(new ChangeSet(workspaceId, SystemAuthor, sourceId, summary, now, [], [], [person], []));

    /// <summary>The local date in <paramref name="zoneId"/> at <paramref name="now"/> (UTC when the zone is unknown).</summary>
    public static DateOnly LocalToday(DateTimeOffset now, string? zoneId)
    {
        if (zoneId is not null && TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var zone))
        {
            return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        }
        return DateOnly.FromDateTime(now.UtcDateTime);
    }

    /// <summary>A new opaque id (32 hex digits).</summary>
    public static string NewId() => Guid.NewGuid().ToString("N");

    [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Handling a message failed (workspace {WorkspaceId}, source {SourceId})")]
    private static partial void LogFailure(ILogger logger, Exception exception, string workspaceId, string sourceId);
}
