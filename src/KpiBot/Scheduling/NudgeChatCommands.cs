using KpiBot.Conversation;
using KpiBot.Conversation.Routing;
using KpiBot.Domain;

namespace KpiBot.Scheduling;

/// <summary>
/// <c>nudge fridays 15:00</c>, <c>nudge mondays 9:00 in #sales</c>, <c>nudges off|on</c>, <c>nudges</c>: the
/// admin commands of the weekly nudge, in the conversation engine's routing table.
/// </summary>
public sealed class NudgeChatCommand(NudgeCommands commands) : IChatCommand
{
    /// <inheritdoc />
    public string Name => "nudges";

    /// <inheritdoc />
    public CommandDescription Describe() => new(
        "nudges",
        "Set, show or stop the team's weekly nudge (posted in the channel, with a private digest for managers).",
        ["nudge fridays 15:00", "nudge mondays 9:00 in #sales", "nudges", "nudges off", "nudges on"],
        Role.Admin);

    /// <inheritdoc />
    public CommandMatch? TryMatch(string text, MatchContext context) =>
        context?.Form is null && NudgeCommands.Recognize(text) == CommandKind.Nudges ? new CommandMatch(text) : null;

    /// <inheritdoc />
    public Task<BotResponse> HandleAsync(CommandMatch match, CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Task.FromResult(BotResponse.Of(commands.Handle(context.Message, context.Person, context.Team)));
    }
}

/// <summary><c>remind snooze</c>, <c>reminders off</c>, <c>reminders on</c>: each person's own reminder settings.</summary>
public sealed class ReminderChatCommand(NudgeCommands commands) : IChatCommand
{
    /// <inheritdoc />
    public string Name => "reminders";

    /// <inheritdoc />
    public CommandDescription Describe() => new(
        "nudges",
        "Snooze or stop your personal reminders to log (or turn them back on).",
        ["remind snooze", "reminders off", "reminders on"]);

    /// <inheritdoc />
    public CommandMatch? TryMatch(string text, MatchContext context) =>
        context?.Form is null && NudgeCommands.Recognize(text) == CommandKind.Reminders ? new CommandMatch(text) : null;

    /// <inheritdoc />
    public Task<BotResponse> HandleAsync(CommandMatch match, CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Task.FromResult(BotResponse.Of(commands.Handle(context.Message, context.Person, context.Team)));
    }
}
