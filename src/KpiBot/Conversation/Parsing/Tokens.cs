using System.Text;

namespace KpiBot.Conversation.Parsing;

/// <summary>One word of a message.</summary>
/// <param name="Raw">The word as typed (for names and error messages).</param>
/// <param name="Norm">Folded form: lower case, no accents, no surrounding punctuation.</param>
/// <param name="Position">1-based position of the word in the message, as named in error replies ("word 3").</param>
public sealed record Token(string Raw, string Norm, int Position)
{
    /// <summary>True when the word is a plain whole number (digits only).</summary>
    public bool IsInteger => Norm.Length > 0 && Norm.All(char.IsAsciiDigit);
}

/// <summary>Splits a message into words with their positions.</summary>
public static class Tokenizer
{
    private static readonly char[] TrimChars = ['?', '!', '.', ',', ';', ':', '"', '\'', '(', ')', '[', ']', '“', '”', '‘', '’'];

    /// <summary>
    /// Splits on white space and on commas/semicolons that are not digit group separators ("booked 5, held 3"
    /// splits; "120,000" stays one word). "how's" becomes "how is". Surrounding punctuation is dropped.
    /// </summary>
    public static IReadOnlyList<Token> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var cleaned = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            var betweenDigits = i > 0 && i < text.Length - 1 && char.IsAsciiDigit(text[i - 1]) && char.IsAsciiDigit(text[i + 1]);
            if ((ch == ',' && !betweenDigits) || ch == ';' || char.IsWhiteSpace(ch) || ch == '\u00A0' || ch == '\u202F')
            {
                cleaned.Append(' ');
            }
            else
            {
                cleaned.Append(ch);
            }
        }

        var tokens = new List<Token>();
        var position = 0;
        foreach (var word in cleaned.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var raw = TrimPunctuation(word);
            if (raw.Length == 0)
            {
                continue;
            }
            position++;
            var norm = TextTools.Fold(raw).Replace('’', '\'');
            // Contractions: "how's" → "how is", "what's" → "what is", "who's" → "who is".
            if (norm.EndsWith("'s", StringComparison.Ordinal) && norm is "how's" or "what's" or "who's" or "where's")
            {
                tokens.Add(new Token(raw[..^2], norm[..^2], position));
                tokens.Add(new Token("is", "is", position));
                continue;
            }
            tokens.Add(new Token(raw, norm, position));
        }
        return tokens;
    }

    private static string TrimPunctuation(string word)
    {
        var trimmed = word.Trim(TrimChars);
        // A leading "@" is a mention; keep it off the word but keep the word.
        return trimmed.StartsWith('@') ? trimmed[1..].Trim(TrimChars) : trimmed;
    }
}
