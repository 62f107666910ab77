namespace KpiBot.Conversation.Parsing;

/// <summary>
/// Why a message could not be taken: the word, its 1-based position (0 when something is missing at the end),
/// what was wrong, and what would work instead.
/// </summary>
/// <param name="Word">The word as typed, or empty when a required word is missing.</param>
/// <param name="Position">1-based word position in the message; the position after the last word when missing.</param>
/// <param name="Message">What was wrong, in words a salesperson reads.</param>
/// <param name="Suggestion">What would work: a corrected word ("held") or an example command; null when nothing fits.</param>
public sealed record ParseError(string Word, int Position, string Message, string? Suggestion)
{
    /// <summary>The error as one sentence for a chat reply.</summary>
    public string Describe()
    {
        var where = Word.Length > 0 ? $"I couldn't take \"{Word}\" (word {Position}): " : string.Empty;
        var hint = Suggestion is null ? string.Empty : $" Did you mean \"{Suggestion}\"?";
        return where + Message + hint;
    }
}

/// <summary>Thrown by <see cref="CommandParser.Parse"/> for a message it cannot take entirely.</summary>
public sealed class CommandParseException : FormatException
{
    /// <summary>Creates the exception for <paramref name="error"/>.</summary>
    public CommandParseException(ParseError error)
        : base((error ?? throw new ArgumentNullException(nameof(error))).Describe()) => Error = error;

    /// <summary>Creates an exception with a plain message (for serializers and analyzers).</summary>
    public CommandParseException()
        : this(new ParseError(string.Empty, 0, "The message could not be understood.", "help"))
    {
    }

    /// <summary>Creates an exception with a plain message.</summary>
    public CommandParseException(string message)
        : this(new ParseError(string.Empty, 0, message, null))
    {
    }

    /// <summary>Creates an exception with a plain message and an inner exception.</summary>
    public CommandParseException(string message, Exception innerException)
        : base(message, innerException) => Error = new ParseError(string.Empty, 0, message, null);

    /// <summary>The word, position and suggestion.</summary>
    public ParseError Error { get; }
}
