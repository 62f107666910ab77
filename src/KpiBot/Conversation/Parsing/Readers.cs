using System.Globalization;

namespace KpiBot.Conversation.Parsing;

/// <summary>
/// Readers for the small phrases inside commands: dates, money amounts and question periods. Each reads at
/// a word index and says how many words it consumed, so the command parser can point at the first word it
/// could not take.
/// </summary>
internal static class Readers
{
    private static readonly Dictionary<string, DayOfWeek> WeekdayWords = new(StringComparer.Ordinal)
    {
        ["monday"] = DayOfWeek.Monday, ["mon"] = DayOfWeek.Monday,
        ["tuesday"] = DayOfWeek.Tuesday, ["tue"] = DayOfWeek.Tuesday, ["tues"] = DayOfWeek.Tuesday,
        ["wednesday"] = DayOfWeek.Wednesday, ["wed"] = DayOfWeek.Wednesday,
        ["thursday"] = DayOfWeek.Thursday, ["thu"] = DayOfWeek.Thursday, ["thur"] = DayOfWeek.Thursday, ["thurs"] = DayOfWeek.Thursday,
        ["friday"] = DayOfWeek.Friday, ["fri"] = DayOfWeek.Friday,
        ["saturday"] = DayOfWeek.Saturday, ["sat"] = DayOfWeek.Saturday,
        ["sunday"] = DayOfWeek.Sunday, ["sun"] = DayOfWeek.Sunday,
    };

    /// <summary>
    /// Reads a date at <paramref name="index"/>: <c>today</c>, <c>yesterday</c>, a weekday name (the most recent
    /// one on or before today, so today's weekday is today), <c>last friday</c> (the most recent one strictly
    /// before today), or an ISO date <c>2026-12-01</c>; an optional leading <c>on</c> is consumed with it.
    /// Future dates are returned as read; callers decide whether the future is allowed.
    /// </summary>
    public static bool TryReadDate(IReadOnlyList<Token> tokens, int index, DateOnly today, out DateOnly date, out int consumed)
    {
        date = default;
        consumed = 0;
        if (index >= tokens.Count)
        {
            return false;
        }
        var skip = tokens[index].Norm == "on" && index + 1 < tokens.Count ? 1 : 0;
        var word = tokens[index + skip].Norm;
        if (word == "today")
        {
            date = today;
            consumed = skip + 1;
            return true;
        }
        if (word == "yesterday")
        {
            date = today.AddDays(-1);
            consumed = skip + 1;
            return true;
        }
        if (WeekdayWords.TryGetValue(word, out var weekday))
        {
            var back = ((int)today.DayOfWeek - (int)weekday + 7) % 7;
            date = today.AddDays(-back);
            consumed = skip + 1;
            return true;
        }
        if (word == "last" && index + skip + 1 < tokens.Count && WeekdayWords.TryGetValue(tokens[index + skip + 1].Norm, out weekday))
        {
            var back = ((int)today.DayOfWeek - (int)weekday + 7) % 7;
            date = today.AddDays(back == 0 ? -7 : -back);
            consumed = skip + 2;
            return true;
        }
        if (DateOnly.TryParseExact(word, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
        {
            consumed = skip + 1;
            return true;
        }
        return false;
    }

    /// <summary>True when the word at <paramref name="index"/> starts a date phrase.</summary>
    public static bool StartsDate(IReadOnlyList<Token> tokens, int index, DateOnly today) =>
        TryReadDate(tokens, index, today, out _, out _);

    /// <summary>
    /// Reads a money amount: <c>120k</c>, <c>1.2M</c>, <c>120 000</c>, <c>120,000</c>, <c>120 000 kr</c>,
    /// <c>SEK 120000</c>, <c>$120k</c>. Digit groups of three separated by spaces are joined. Returns false
    /// when the words there are not an amount.
    /// </summary>
    public static bool TryReadAmount(IReadOnlyList<Token> tokens, int index, string teamCurrency, out Money money, out int consumed)
    {
        money = new Money(0, teamCurrency, false);
        consumed = 0;
        var i = index;
        string? currency = null;
        if (i < tokens.Count && Currencies.FromWord(tokens[i].Norm, teamCurrency) is { } leading && i + 1 < tokens.Count && LooksNumeric(tokens[i + 1].Norm))
        {
            currency = leading;
            i++;
        }
        if (i >= tokens.Count || !TryReadNumberWord(tokens[i].Norm, teamCurrency, out var value, out var multiplier, out var attachedCurrency))
        {
            return false;
        }
        currency ??= attachedCurrency;
        var text = tokens[i].Norm;
        i++;
        // "120 000" and "1 200 000": a short leading group followed by groups of exactly three digits.
        if (multiplier == 1 && attachedCurrency is null && text.Length <= 3 && text.All(char.IsAsciiDigit))
        {
            while (i < tokens.Count && tokens[i].Norm.Length == 3 && tokens[i].IsInteger)
            {
                value = (value * 1000) + decimal.Parse(tokens[i].Norm, CultureInfo.InvariantCulture);
                i++;
            }
        }
        if (multiplier == 1 && i < tokens.Count && tokens[i].Norm is "k" or "thousand" or "m" or "mn" or "million" or "mkr" or "tkr")
        {
            multiplier = tokens[i].Norm is "k" or "thousand" or "tkr" ? 1_000m : 1_000_000m;
            if (tokens[i].Norm is "mkr" or "tkr")
            {
                currency ??= Currencies.FromWord("kr", teamCurrency);
            }
            i++;
        }
        value *= multiplier;
        if (currency is null && i < tokens.Count && Currencies.FromWord(tokens[i].Norm, teamCurrency) is { } trailing)
        {
            currency = trailing;
            i++;
        }
        money = new Money(decimal.Round(value, 2), currency ?? teamCurrency, currency is not null);
        consumed = i - index;
        return true;
    }

    private static bool LooksNumeric(string word) => word.Length > 0 && (char.IsAsciiDigit(word[0]) || (word.Length > 1 && word[0] is '$' or '€' or '£' && char.IsAsciiDigit(word[1])));

    /// <summary>One number word with an optional symbol prefix and k/M or currency suffix ("$1.2m", "120kr", "120,000").</summary>
    private static bool TryReadNumberWord(string word, string teamCurrency, out decimal value, out decimal multiplier, out string? currency)
    {
        value = 0;
        multiplier = 1;
        currency = null;
        if (word.Length == 0)
        {
            return false;
        }
        if (word[0] is '$' or '€' or '£')
        {
            currency = Currencies.FromWord(word[..1], teamCurrency);
            word = word[1..];
        }
        var digitsEnd = 0;
        while (digitsEnd < word.Length && (char.IsAsciiDigit(word[digitsEnd]) || word[digitsEnd] is ',' or '.'))
        {
            digitsEnd++;
        }
        if (digitsEnd == 0 || !char.IsAsciiDigit(word[0]))
        {
            return false;
        }
        var number = word[..digitsEnd];
        var suffix = word[digitsEnd..];
        if (number.Contains(','))
        {
            // Only digit grouping is accepted with commas ("120,000"); "1,5" is ambiguous and refused.
            var groups = number.Split(',');
            if (groups.Skip(1).Any(g => g.Length != 3 || g.Contains('.')) || groups[0].Length is 0 or > 3)
            {
                return false;
            }
            number = string.Concat(groups);
        }
        if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value))
        {
            return false;
        }
        switch (suffix)
        {
            case "":
                break;
            case "k" or "tkr":
                multiplier = 1_000m;
                currency ??= suffix == "tkr" ? Currencies.FromWord("kr", teamCurrency) : null;
                break;
            case "m" or "mn" or "mkr":
                multiplier = 1_000_000m;
                currency ??= suffix == "mkr" ? Currencies.FromWord("kr", teamCurrency) : null;
                break;
            default:
                var named = Currencies.FromWord(suffix, teamCurrency);
                if (named is null || currency is not null)
                {
                    return false;
                }
                currency = named;
                break;
        }
        return true;
    }

    /// <summary>True when the words at <paramref name="index"/> start a question period.</summary>
    public static bool StartsPeriod(IReadOnlyList<Token> tokens, int index)
    {
        if (index >= tokens.Count)
        {
            return false;
        }
        var word = tokens[index].Norm;
        var next = index + 1 < tokens.Count ? tokens[index + 1].Norm : string.Empty;
        return word switch
        {
            "last" or "past" => next.Length > 0 && (next.All(char.IsAsciiDigit) || next is "week" or "month" or "quarter" or "year"),
            "in" or "during" => next.Length > 0 && (IsYear(next) || IsQuarter(next)),
            "from" or "between" or "since" => true,
            "as" => next == "of",
            "this" => next is "year" or "quarter" or "month",
            _ => IsQuarter(word),
        };
    }

    /// <summary>
    /// Reads a question period: <c>last 12 weeks</c>, <c>last 3 months</c>, <c>in 2017</c>, <c>Q4 2017</c>,
    /// <c>from 2017-01-01 to 2017-06-30</c>, <c>since 2026-09-01</c>, <c>as of 2017-12-31</c>, <c>this year</c>.
    /// </summary>
    public static bool TryReadPeriod(IReadOnlyList<Token> tokens, int index, DateOnly today, out QuestionPeriod period, out int consumed, out ParseError? error)
    {
        period = new QuestionPeriod(null, today, null, string.Empty);
        consumed = 0;
        error = null;
        if (!StartsPeriod(tokens, index))
        {
            return false;
        }
        var word = tokens[index].Norm;
        var nextToken = index + 1 < tokens.Count ? tokens[index + 1] : null;
        switch (word)
        {
            case "last" or "past":
                {
                    var count = 1;
                    var unitIndex = index + 1;
                    if (nextToken!.IsInteger)
                    {
                        count = int.Parse(nextToken.Norm, CultureInfo.InvariantCulture);
                        unitIndex++;
                    }
                    if (unitIndex >= tokens.Count)
                    {
                        error = new ParseError(string.Empty, tokens[^1].Position + 1, "Which unit? A period reads like \"last 12 weeks\" or \"last 3 months\".", "last 12 weeks");
                        return false;
                    }
                    var unit = tokens[unitIndex].Norm;
                    var text = $"last {count} {unit}";
                    switch (unit)
                    {
                        case "week" or "weeks" or "wk" or "wks":
                            if (count is < 1 or > 104)
                            {
                                error = new ParseError(tokens[index + 1].Raw, tokens[index + 1].Position, "A period of weeks runs from 1 to 104 weeks.", "last 12 weeks");
                                return false;
                            }
                            period = new QuestionPeriod(null, today, count, count == 1 ? "last week" : $"last {count} weeks");
                            break;
                        case "month" or "months":
                            if (count is < 1 or > 36)
                            {
                                error = new ParseError(tokens[index + 1].Raw, tokens[index + 1].Position, "A period of months runs from 1 to 36 months.", "last 3 months");
                                return false;
                            }
                            var monthStart = new DateOnly(today.Year, today.Month, 1);
                            period = new QuestionPeriod(monthStart.AddMonths(-count), monthStart.AddDays(-1), null, count == 1 ? "last month" : $"last {count} months");
                            break;
                        case "quarter" or "quarters":
                            var quarterStart = new DateOnly(today.Year, ((today.Month - 1) / 3 * 3) + 1, 1);
                            period = new QuestionPeriod(quarterStart.AddMonths(-3 * count), quarterStart.AddDays(-1), null, count == 1 ? "last quarter" : $"last {count} quarters");
                            break;
                        case "year" or "years":
                            period = new QuestionPeriod(new DateOnly(today.Year - count, 1, 1), new DateOnly(today.Year - 1, 12, 31), null, count == 1 ? "last year" : $"last {count} years");
                            break;
                        default:
                            error = new ParseError(tokens[unitIndex].Raw, tokens[unitIndex].Position, $"\"{text}\" is not a period I know; use weeks, months, quarters or years.", $"last {count} weeks");
                            return false;
                    }
                    consumed = unitIndex - index + 1;
                    return true;
                }
            case "this":
                {
                    var unit = nextToken!.Norm;
                    DateOnly from = unit switch
                    {
                        "year" => new DateOnly(today.Year, 1, 1),
                        "quarter" => new DateOnly(today.Year, ((today.Month - 1) / 3 * 3) + 1, 1),
                        _ => new DateOnly(today.Year, today.Month, 1),
                    };
                    period = new QuestionPeriod(from, today, null, $"this {unit}");
                    consumed = 2;
                    return true;
                }
            case "in" or "during":
                return TryReadYearOrQuarter(tokens, index + 1, today, out period, out consumed, out error) && (consumed += 1) > 0;
            case "from" or "between" or "since":
                {
                    if (!TryReadDate(tokens, index + 1, today, out var from, out var fromWords))
                    {
                        error = MissingOrWrong(tokens, index + 1, "A range reads like \"from 2026-09-01 to 2026-11-30\".", "from 2026-09-01 to 2026-11-30");
                        return false;
                    }
                    var i = index + 1 + fromWords;
                    var to = today;
                    var toText = "today";
                    if (word != "since")
                    {
                        if (i >= tokens.Count || tokens[i].Norm is not ("to" or "until" or "till" or "and" or "-"))
                        {
                            error = MissingOrWrong(tokens, i, "A range needs its end: \"from D to D\".", "to " + today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                            return false;
                        }
                        if (!TryReadDate(tokens, i + 1, today, out to, out var toWords))
                        {
                            error = MissingOrWrong(tokens, i + 1, "The end of the range should be a date like 2026-11-30.", null);
                            return false;
                        }
                        toText = tokens[i + 1].Raw;
                        i += 1 + toWords;
                    }
                    if (to < from)
                    {
                        error = new ParseError(tokens[index + 1].Raw, tokens[index + 1].Position, "The range starts after it ends; put the earlier date first.", null);
                        return false;
                    }
                    if (from > today)
                    {
                        error = new ParseError(tokens[index + 1].Raw, tokens[index + 1].Position, "The range starts in the future; there are no numbers there yet.", null);
                        return false;
                    }
                    period = new QuestionPeriod(from, to, null, word == "since" ? $"since {Iso(from)}" : $"from {Iso(from)} to {Iso(to)}");
                    _ = toText;
                    consumed = i - index;
                    return true;
                }
            case "as":
                {
                    if (!TryReadDate(tokens, index + 2, today, out var asOf, out var dateWords))
                    {
                        error = MissingOrWrong(tokens, index + 2, "\"as of\" needs a date like 2026-11-30.", "as of " + Iso(today));
                        return false;
                    }
                    if (asOf > today)
                    {
                        error = new ParseError(tokens[index + 2].Raw, tokens[index + 2].Position, "That date is in the future; ask as of today or an earlier day.", "as of " + Iso(today));
                        return false;
                    }
                    period = new QuestionPeriod(null, asOf, null, $"as of {Iso(asOf)}");
                    consumed = 2 + dateWords;
                    return true;
                }
            default:
                return TryReadYearOrQuarter(tokens, index, today, out period, out consumed, out error);
        }
    }

    private static bool TryReadYearOrQuarter(IReadOnlyList<Token> tokens, int index, DateOnly today, out QuestionPeriod period, out int consumed, out ParseError? error)
    {
        period = new QuestionPeriod(null, today, null, string.Empty);
        consumed = 0;
        error = null;
        if (index >= tokens.Count)
        {
            return false;
        }
        var word = tokens[index].Norm;
        if (IsYear(word))
        {
            var year = int.Parse(word, CultureInfo.InvariantCulture);
            if (year > today.Year || year < 2000)
            {
                error = new ParseError(tokens[index].Raw, tokens[index].Position, $"I have numbers from 2000 to {today.Year}; pick a year in that range.", $"in {today.Year}");
                return false;
            }
            period = new QuestionPeriod(new DateOnly(year, 1, 1), new DateOnly(year, 12, 31), null, $"in {year}");
            consumed = 1;
            return true;
        }
        if (IsQuarter(word))
        {
            var quarter = word[1] - '0';
            var year = today.Year;
            consumed = 1;
            if (index + 1 < tokens.Count && IsYear(tokens[index + 1].Norm))
            {
                year = int.Parse(tokens[index + 1].Norm, CultureInfo.InvariantCulture);
                consumed = 2;
            }
            var from = new DateOnly(year, ((quarter - 1) * 3) + 1, 1);
            if (from > today || year < 2000)
            {
                error = new ParseError(tokens[index].Raw, tokens[index].Position, $"Q{quarter} {year} has not started yet; pick a quarter that has.", null);
                return false;
            }
            period = new QuestionPeriod(from, from.AddMonths(3).AddDays(-1), null, $"Q{quarter} {year}");
            return true;
        }
        error = new ParseError(tokens[index].Raw, tokens[index].Position, "A period reads like \"in 2017\" or \"Q4 2017\".", "in " + today.Year.ToString(CultureInfo.InvariantCulture));
        return false;
    }

    private static bool IsYear(string word) => word.Length == 4 && word.All(char.IsAsciiDigit);

    private static bool IsQuarter(string word) => word.Length == 2 && word[0] == 'q' && word[1] is >= '1' and <= '4';

    private static ParseError MissingOrWrong(IReadOnlyList<Token> tokens, int index, string message, string? suggestion) =>
        index < tokens.Count
            ? new ParseError(tokens[index].Raw, tokens[index].Position, message, suggestion)
            : new ParseError(string.Empty, (tokens.Count == 0 ? 0 : tokens[^1].Position) + 1, message, suggestion);

    /// <summary>ISO yyyy-MM-dd.</summary>
    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
