using KpiBot.Conversation.Parsing;
using KpiBot.Domain;

namespace KpiBot.Conversation.Routing;

/// <summary>
/// One command of the routing table. Implementations are small classes registered in DI with
/// <see cref="ChatCommandRegistration.AddChatCommand{TCommand}"/>; names are unique (a duplicate throws at start-up).
/// Another area adds its own commands the same way (the nudges area registers <c>nudge</c>/<c>nudges</c>).
/// </summary>
public interface IChatCommand
{
    /// <summary>Unique name in the routing table (<c>log</c>, <c>trend</c>, <c>nudges</c>).</summary>
    string Name { get; }

    /// <summary>What <c>help</c> shows: topic, one-line summary, examples and who may run it.</summary>
    CommandDescription Describe();

    /// <summary>
    /// Returns a match when this command takes the message, or null. Built-in commands look at
    /// <see cref="MatchContext.Parsed"/>; commands with their own grammar read <paramref name="text"/>.
    /// Must not store anything.
    /// </summary>
    CommandMatch? TryMatch(string text, MatchContext context);

    /// <summary>Runs the command. Bad input becomes a reply, never an exception.</summary>
    Task<BotResponse> HandleAsync(CommandMatch match, CommandContext context, CancellationToken cancellationToken);
}

/// <summary>How a command is explained in <c>help</c>.</summary>
/// <param name="Topic">Help topic the command belongs to (<c>logging</c>, <c>deals</c>, <c>questions</c>, <c>team</c>, <c>admin</c>, <c>nudges</c>).</param>
/// <param name="Summary">One line saying what it does.</param>
/// <param name="Examples">Messages that run it, exactly as a user types them.</param>
/// <param name="MinimumRole">The least role allowed to run it; the bot refuses politely below it.</param>
public sealed record CommandDescription(string Topic, string Summary, IReadOnlyList<string> Examples, Role MinimumRole = Role.Rep);

/// <summary>A command's claim on a message, with whatever it parsed from it.</summary>
/// <param name="Arguments">The parsed arguments (a <see cref="ParsedCommand"/> for built-ins, anything for others).</param>
public sealed record CommandMatch(object? Arguments);

/// <summary>What a command sees while matching: the text, the parser's result, any form and the speaker's role.</summary>
/// <param name="Parsed">The built-in parser's result, or null when it could not take the text.</param>
/// <param name="ParseError">The parser's error when <paramref name="Parsed"/> is null (empty for form submissions).</param>
public sealed record MatchContext(string Text, ParsedCommand? Parsed, ParseError? ParseError, FormSubmission? Form, Role Role, ParseContext Parsing);

/// <summary>
/// What a command handler receives: the message, the resolved workspace, team and person, the store, the clock,
/// the speaker's local today and helpers for names and replies. Never an HttpContext.
/// </summary>
public sealed record CommandContext(
    IncomingMessage Message,
    Workspace Workspace,
    Team Team,
    Person Person,
    Storage.IKpiStore Store,
    TimeProvider Clock,
    DateOnly Today,
    ParseContext Parsing)
{
    /// <summary>The bot's current instant.</summary>
    public DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>True when the reply is seen by a whole channel (never show an individual's Crisis/Danger there).</summary>
    public bool InChannel => Message.Kind == ConversationKind.Channel;

    /// <summary>The people of the workspace (the speaker's workspace only: nothing crosses workspaces).</summary>
    public IReadOnlyList<Person> People() => Store.ListPeople(Workspace.Id);

    /// <summary>The people of the speaker's team.</summary>
    public IReadOnlyList<Person> TeamPeople() => Store.ListPeople(Workspace.Id, Team.Id);
}
