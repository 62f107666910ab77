using KpiBot.Conversation.Parsing;
using KpiBot.Conversation.Routing;

namespace KpiBot.Conversation.Commands;

/// <summary>A built-in command that takes one shape of <see cref="ParsedCommand"/> from the shared parser.</summary>
/// <typeparam name="TParsed">The parsed record this command runs.</typeparam>
public abstract class ParsedChatCommand<TParsed> : IChatCommand
    where TParsed : ParsedCommand
{
    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public abstract CommandDescription Describe();

    /// <inheritdoc />
    public virtual CommandMatch? TryMatch(string text, MatchContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Parsed is TParsed parsed && Accepts(parsed) ? new CommandMatch(parsed) : null;
    }

    /// <inheritdoc />
    public virtual Task<BotResponse> HandleAsync(CommandMatch match, CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(match);
        ArgumentNullException.ThrowIfNull(context);
        return match.Arguments is TParsed parsed
            ? HandleAsync(parsed, context, cancellationToken)
            : throw new ArgumentException($"The {Name} command was given {match.Arguments?.GetType().Name ?? "nothing"}.", nameof(match));
    }

    /// <summary>True when this command takes <paramref name="parsed"/> (several commands may share a record shape).</summary>
    protected virtual bool Accepts(TParsed parsed) => true;

    /// <summary>Runs the parsed command.</summary>
    protected abstract Task<BotResponse> HandleAsync(TParsed command, CommandContext context, CancellationToken cancellationToken);
}
