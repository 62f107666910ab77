using KpiBot.Conversation.Parsing;
using KpiBot.Domain;

namespace KpiBot.Conversation;

/// <summary>The outcome of matching a typed name against the people of a workspace.</summary>
public abstract record NameMatch
{
    /// <summary>Exactly one person fits.</summary>
    public sealed record Found(Person Person) : NameMatch;

    /// <summary>Several people fit equally well: ask, never guess.</summary>
    public sealed record Ambiguous(IReadOnlyList<Person> Candidates) : NameMatch;

    /// <summary>Nobody fits; <see cref="Suggestions"/> are the nearest names, if any.</summary>
    public sealed record NotFound(IReadOnlyList<Person> Suggestions) : NameMatch;
}

/// <summary>
/// Loose name matching: case and accents ignored, one typo allowed (Damerau–Levenshtein ≤ 1 on the folded
/// name), a first name alone matches. The best tier that has any match wins; two matches in it are ambiguous.
/// A platform mention (<c>&lt;@U123&gt;</c>, <c>&lt;@U123|anna&gt;</c>) matches the chat user id exactly.
/// </summary>
public static class NameMatcher
{
    /// <summary>Matches <paramref name="typed"/> against <paramref name="people"/>.</summary>
    public static NameMatch Match(string typed, IReadOnlyList<Person> people)
    {
        ArgumentNullException.ThrowIfNull(typed);
        ArgumentNullException.ThrowIfNull(people);
        var mention = MentionedUserId(typed);
        if (mention is not null)
        {
            var byId = people.Where(p => string.Equals(p.PlatformUserId, mention, StringComparison.OrdinalIgnoreCase)).ToList();
            return byId.Count == 1 ? new NameMatch.Found(byId[0]) : new NameMatch.NotFound([]);
        }

        var query = TextTools.Fold(typed.TrimStart('@'));
        if (query.Length == 0)
        {
            return new NameMatch.NotFound([]);
        }

        // Tiers, best first: exact full name; exact first (or last) name; one typo in the full name or a name part.
        var tiers = new Func<Person, bool>[]
        {
            p => TextTools.Fold(p.DisplayName) == query,
            p => Parts(p).Contains(query),
            p => TextTools.EditDistance(TextTools.Fold(p.DisplayName), query) <= 1 || (query.Length >= 3 && Parts(p).Any(part => TextTools.EditDistance(part, query) <= 1)),
        };
        foreach (var tier in tiers)
        {
            var matches = people.Where(tier).ToList();
            if (matches.Count == 1)
            {
                return new NameMatch.Found(matches[0]);
            }
            if (matches.Count > 1)
            {
                return new NameMatch.Ambiguous(matches);
            }
        }

        var suggestions = people
            .Select(p => (Person: p, Distance: Math.Min(TextTools.EditDistance(TextTools.Fold(p.DisplayName), query), Parts(p).Select(part => TextTools.EditDistance(part, query)).DefaultIfEmpty(int.MaxValue).Min())))
            .Where(x => x.Distance <= Math.Max(2, query.Length / 3))
            .OrderBy(x => x.Distance)
            .ThenBy(x => x.Person.DisplayName, StringComparer.OrdinalIgnoreCase)
            .Take(3)
            .Select(x => x.Person)
            .ToList();
        return new NameMatch.NotFound(suggestions);
    }

    /// <summary>The chat user id of a Slack-style mention <c>&lt;@U123&gt;</c> or <c>&lt;@U123|name&gt;</c>, else null.</summary>
    public static string? MentionedUserId(string typed)
    {
        ArgumentNullException.ThrowIfNull(typed);
        var text = typed.Trim();
        if (text.StartsWith("<@", StringComparison.Ordinal) && text.EndsWith('>'))
        {
            var inner = text[2..^1];
            var bar = inner.IndexOf('|', StringComparison.Ordinal);
            return bar >= 0 ? inner[..bar] : inner;
        }
        return null;
    }

    private static string[] Parts(Person person) => TextTools.Fold(person.DisplayName).Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
