using System.Globalization;
using System.Text.RegularExpressions;
using KpiBot.Conversation.Parsing;
using KpiBot.Domain;
using KpiBot.Replies;

namespace KpiBot.Conversation;

/// <summary>The replies the conversation engine itself builds: errors, refusals, choices, welcome.</summary>
public static class ConversationReplies
{
    /// <summary>Culture for numbers and dates in replies (the bot speaks English; digits grouped with spaces as in Swedish usage is left to renderers).</summary>
    public static CultureInfo Culture { get; } = CultureInfo.InvariantCulture;

    /// <summary>A reply for a message the parser could not take: what was wrong and a button running the fix.</summary>
    public static Reply ParseProblem(ParseError error, string originalText)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(originalText);
        var blocks = new List<ReplyBlock> { new Paragraph(error.Describe(), Tone.Attention), new Paragraph("Nothing was stored.", Tone.Muted) };
        var fix = Corrected(error, originalText);
        var actions = new List<ReplyAction>();
        if (fix is not null)
        {
            actions.Add(new ReplyAction(fix, fix, Primary: true));
        }
        actions.Add(new ReplyAction("Help", "help"));
        blocks.Add(new Actions(actions));
        return new Reply(error.Describe(), blocks);
    }

    /// <summary>
    /// The message with the offending word replaced by the suggestion when the suggestion is one word
    /// ("booked 5 hled 3" → "booked 5 held 3"), or the suggested example command; null when there is none.
    /// </summary>
    public static string? Corrected(ParseError error, string originalText)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(originalText);
        if (error.Suggestion is null)
        {
            return null;
        }
        if (error.Word.Length > 0 && !error.Suggestion.Contains(' ', StringComparison.Ordinal))
        {
            var tokens = Tokenizer.Tokenize(originalText);
            var words = tokens.GroupBy(t => t.Position).Select(g => g.First().Raw).ToList();
            var index = error.Position - 1;
            if (index >= 0 && index < words.Count && string.Equals(words[index], error.Word, StringComparison.Ordinal))
            {
                words[index] = error.Suggestion;
                return string.Join(' ', words);
            }
        }
        return error.Suggestion;
    }

    /// <summary>A polite refusal for a command above the speaker's role.</summary>
    public static Reply NotAllowed(string what, Role needed) =>
        Reply.Text(needed == Role.Admin
            ? $"Only an admin can {what}. Ask an admin if you need it."
            : $"Only a manager or an admin can {what}. Ask an admin if you need it.", Tone.Warning);

    /// <summary>A rep asked about someone else.</summary>
    public static Reply OnlyOwnNumbers(string otherName) =>
        new($"You can see your own numbers and the team's totals, not {otherName}'s.",
        [
            new Paragraph($"You can see your own numbers and the team's totals, not {otherName}'s. Managers see everyone in their team.", Tone.Warning),
            new Actions([new ReplyAction("My stats", "my stats", true), new ReplyAction("Team status", "team status")]),
        ]);

    /// <summary>Several people fit a typed name: one button per person, each running the command with the full name.</summary>
    public static Reply ChooseName(string typed, IReadOnlyList<Person> candidates, string originalText)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var text = $"More than one person matches \"{typed}\". Who do you mean?";
        var buttons = candidates
            .OrderBy(p => p.DisplayName, StringComparer.OrdinalIgnoreCase)
            .Take(6)
            .Select(p => new ReplyAction(p.DisplayName, ReplaceName(originalText, typed, NameForCommand(p, candidates))))
            .ToList();
        return new Reply(text, [new Paragraph(text), new Actions(buttons)]);
    }

    /// <summary>Nobody fits a typed name.</summary>
    public static Reply UnknownName(string typed, IReadOnlyList<Person> suggestions, string originalText)
    {
        ArgumentNullException.ThrowIfNull(suggestions);
        if (suggestions.Count == 0)
        {
            return Reply.Text($"I don't know anyone called \"{typed}\" in this workspace. Nothing was stored.", Tone.Warning);
        }
        var names = string.Join(" or ", suggestions.Select(p => p.DisplayName));
        var text = $"I don't know anyone called \"{typed}\". Did you mean {names}?";
        return new Reply(text,
        [
            new Paragraph(text, Tone.Warning),
            new Actions(suggestions.Select(p => new ReplyAction(p.DisplayName, ReplaceName(originalText, typed, NameForCommand(p, suggestions)))).ToList()),
        ]);
    }

    /// <summary>The short welcome a first-time user gets.</summary>
    public static Reply Welcome(Person person, bool isFirstAdmin)
    {
        ArgumentNullException.ThrowIfNull(person);
        var blocks = new List<ReplyBlock>
        {
            new Heading($"Welcome to KpiBot, {FirstName(person.DisplayName)}!"),
            new Paragraph("Log today's numbers in one line, for example \"booked 5 held 3 qualified 2\". Add a day if it wasn't today: \"held 2 yesterday\", \"mon booked 3\"."),
            new Paragraph("Ask \"how am I trending\" or \"my funnel\" once you have a couple of weeks logged."),
        };
        if (isFirstAdmin)
        {
            blocks.Add(new Paragraph("You are the first person here, so you are this workspace's admin. Type \"demo\" to see KpiBot with a generated team.", Tone.Good));
        }
        blocks.Add(new Actions([new ReplyAction("Help", "help", true), new ReplyAction("Logging help", "help logging")]));
        return new Reply($"Welcome to KpiBot, {FirstName(person.DisplayName)}! Log with \"booked 5 held 3\".", blocks);
    }

    /// <summary>Something failed on the bot's side; the user is told plainly and nothing half-done remains (writes are atomic).</summary>
    public static Reply InternalProblem() =>
        Reply.Text("Sorry, something went wrong on my side and nothing was stored. Please try again in a moment.", Tone.Attention);

    /// <summary>The first word of a display name.</summary>
    public static string FirstName(string displayName)
    {
        ArgumentNullException.ThrowIfNull(displayName);
        var space = displayName.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 ? displayName[..space] : displayName;
    }

    /// <summary>A day as "Fri 4 Dec".</summary>
    public static string Day(DateOnly date) => date.ToString("ddd d MMM", Culture);

    /// <summary>A count or amount with thin grouping ("120 000").</summary>
    public static string Number(decimal value) => value.ToString("#,0.##", Culture).Replace(',', ' ');

    /// <summary>Money with its currency ("120 000 SEK").</summary>
    public static string Money(decimal value, string currency) => $"{Number(value)} {currency}";

    private static string NameForCommand(Person person, IReadOnlyList<Person> others) =>
        others.Count(o => TextTools.Fold(o.DisplayName) == TextTools.Fold(person.DisplayName)) > 1 && person.PlatformUserId is not null
            ? $"<@{person.PlatformUserId}>"
            : person.DisplayName;

    /// <summary>Replaces the typed name (its words, any spacing, case ignored) by <paramref name="replacement"/>.</summary>
    public static string ReplaceName(string originalText, string typed, string replacement)
    {
        ArgumentNullException.ThrowIfNull(originalText);
        ArgumentNullException.ThrowIfNull(typed);
        var words = typed.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Regex.Escape);
        var pattern = "@?" + string.Join(@"\s+", words);
        var regex = new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
        return regex.IsMatch(originalText) ? regex.Replace(originalText, replacement, 1) : originalText;
    }

}
