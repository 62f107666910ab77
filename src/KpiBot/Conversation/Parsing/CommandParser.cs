using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using KpiBot.Domain;

namespace KpiBot.Conversation.Parsing;

/// <summary>
/// Parses what people type into a typed <see cref="ParsedCommand"/>. A message is taken entirely or not at
/// all: the first word that does not fit gives a <see cref="ParseError"/> naming the word, its position and
/// what would work. <see cref="Parse"/> throws <see cref="CommandParseException"/>; <see cref="TryParse"/> does not.
/// </summary>
public static class CommandParser
{
    /// <summary>The command words a user may start with, for "did you mean" on an unknown first word.</summary>
    public static IReadOnlyList<string> CommandWords { get; } =
    [
        "log", "won", "deal", "move", "lost", "undo", "away", "my", "how", "team", "who", "forecast", "funnel",
        "stats", "trend", "pipeline", "help", "make", "timezone", "currency", "metrics", "stages", "set", "link", "demo",
    ];

    private static readonly HashSet<string> QuestionWords = new(StringComparer.Ordinal)
    {
        "trend", "trending", "stats", "statistics", "kpis", "numbers", "funnel", "conversion", "pipeline", "doing", "forecast", "status",
    };

    /// <summary>Parses <paramref name="text"/>; throws <see cref="CommandParseException"/> naming the word it could not take.</summary>
    public static ParsedCommand Parse(string text, ParseContext context)
    {
        if (TryParse(text, context, out var command, out var error))
        {
            return command;
        }
        throw new CommandParseException(error);
    }

    /// <summary>Parses <paramref name="text"/>; on failure returns false with the error.</summary>
    public static bool TryParse(string text, ParseContext context, [NotNullWhen(true)] out ParsedCommand? command, [NotNullWhen(false)] out ParseError? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(context);
        var state = new State(Tokenizer.Tokenize(text), context);
        try
        {
            command = state.ParseMessage();
            error = null;
            return true;
        }
        catch (CommandParseException exception)
        {
            command = null;
            error = exception.Error;
            return false;
        }
    }

    /// <summary>Finds the team metric a word (or a multi-word synonym such as "meetings booked") names.</summary>
    public static MetricDefinition? FindMetric(IReadOnlyList<MetricDefinition> metrics, string folded)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        foreach (var metric in metrics)
        {
            if (metric.Key == folded || TextTools.Fold(metric.DisplayName) == folded || metric.Synonyms.Any(s => TextTools.Fold(s) == folded))
            {
                return metric;
            }
        }
        return null;
    }

    /// <summary>Finds the team stage a word names (key, display name or synonym).</summary>
    public static StageDefinition? FindStage(IReadOnlyList<StageDefinition> stages, string folded)
    {
        ArgumentNullException.ThrowIfNull(stages);
        ArgumentNullException.ThrowIfNull(folded);
        return Match(folded)
            // "leads", "proposals", "prospects": people count in plurals.
            ?? (folded.Length > 3 && folded.EndsWith('s') ? Match(folded[..^1]) : null);

        StageDefinition? Match(string word) =>
            stages.FirstOrDefault(s => s.Key == word || TextTools.Fold(s.DisplayName) == word || s.Synonyms.Any(x => TextTools.Fold(x) == word));
    }

    private sealed class State(IReadOnlyList<Token> tokens, ParseContext context)
    {
        private readonly IReadOnlyList<Token> _t = tokens;
        private readonly ParseContext _c = context;

        private int EndPosition => (_t.Count == 0 ? 0 : _t[^1].Position) + 1;

        public ParsedCommand ParseMessage()
        {
            if (_t.Count == 0)
            {
                throw Fail(string.Empty, 0, "The message was empty. Type a command, for example \"booked 5 held 3\".", "help");
            }
            var head = _t[0].Norm;
            var next = _t.Count > 1 ? _t[1].Norm : string.Empty;
            switch (head)
            {
                case "help" or "?" or "commands":
                    return new HelpCommand(_t.Count > 1 ? string.Join(' ', _t.Skip(1).Select(t => t.Norm)) : null);
                case "undo":
                    ExpectEnd(1, "undo");
                    return new UndoCommand();
                case "demo":
                    ExpectEnd(1, "demo");
                    return new DemoCommand();
                case "metrics" or "statistics":
                    ExpectEnd(1, "metrics");
                    return new ShowMetricsCommand();
                case "stages":
                    ExpectEnd(1, "stages");
                    return new ShowStagesCommand();
                case "log" when next == "pipeline":
                    return ParsePipelineSnapshot(2);
                case "log":
                    return ParseLog(1);
                case "won":
                    return ParseWon(1);
                case "deal":
                    return ParseDeal(1);
                case "new" when next == "deal":
                    return ParseDeal(2);
                case "move":
                    return ParseMove(1);
                case "lost":
                    return ParseLost(1);
                case "away":
                    return ParseAway(1);
                case "my":
                    return ParseMy();
                case "how":
                    return ParseHow();
                case "team" or "teams":
                    return ParseTeam(1);
                case "who":
                    return ParseWho();
                case "coaching":
                    return new QuestionCommand(QuestionKind.Coaching, Subject.Team, ReadOptionalPeriod(1, "coaching"));
                case "forecast":
                    return ParseSubjectQuestion(QuestionKind.Forecast, next is "accuracy" ? 2 : 1, Subject.Team, "forecast accuracy");
                case "funnel" or "conversion":
                    return ParseSubjectQuestion(QuestionKind.Funnel, 1, Subject.Self, "funnel");
                case "stats" or "kpis" or "numbers":
                    return ParseSubjectQuestion(QuestionKind.Stats, 1, Subject.Self, "stats");
                case "trend" or "status":
                    return ParseSubjectQuestion(QuestionKind.Trend, 1, Subject.Self, "trend");
                case "pipeline" when StartsSnapshot(1):
                    return ParsePipelineSnapshot(1);
                case "pipeline":
                    return ParseSubjectQuestion(QuestionKind.Pipeline, 1, Subject.Self, "pipeline");
                case "make" or "promote":
                    return ParseMake();
                case "timezone" or "tz":
                    return ParseTimeZone(1);
                case "time" when next == "zone":
                    return ParseTimeZone(2);
                case "currency":
                    return ParseCurrency(1);
                case "set":
                    return ParseSet();
                case "stage":
                    return ParseStageProbability(1);
                case "link":
                    return ParseLink();
                default:
                    return ParseOther();
            }
        }

        // ---- logging --------------------------------------------------------------------------

        private LogCommand ParseLog(int start)
        {
            DateOnly? date = null;
            var values = new List<MetricValue>();
            var i = start;
            while (i < _t.Count)
            {
                var token = _t[i];
                if (token.Norm is "and" or "&" or "+")
                {
                    i++;
                    continue;
                }
                if (Readers.TryReadDate(_t, i, _c.Today, out var day, out var dateWords))
                {
                    if (date is not null)
                    {
                        throw Fail(token, "A message logs one day; this is a second date. Log each day in its own message.", null);
                    }
                    CheckNotFuture(token, day, "log numbers for today or an earlier day");
                    date = day;
                    i += dateWords;
                    continue;
                }
                if (TryReadMetric(i, out var metric, out var metricWords))
                {
                    var numberIndex = i + metricWords;
                    if (numberIndex >= _t.Count || !LooksLikeCount(_t[numberIndex]))
                    {
                        throw Fail(numberIndex < _t.Count ? _t[numberIndex] : null, $"\"{token.Raw}\" needs a number next to it, like \"{metric.Synonyms.FirstOrDefault() ?? metric.Key} 3\".", null);
                    }
                    CheckLoggable(metric, token);
                    Add(values, metric, token, ReadCount(_t[numberIndex]));
                    i = numberIndex + 1;
                    continue;
                }
                if (LooksLikeCount(token))
                {
                    var metricIndex = i + 1;
                    if (metricIndex < _t.Count && TryReadMetric(metricIndex, out metric, out metricWords))
                    {
                        CheckLoggable(metric, _t[metricIndex]);
                        Add(values, metric, _t[metricIndex], ReadCount(token));
                        i = metricIndex + metricWords;
                        continue;
                    }
                    if (metricIndex < _t.Count)
                    {
                        throw UnknownWordInLog(_t[metricIndex]);
                    }
                    throw Fail(token, "A number needs its statistic next to it, like \"booked 5\" or \"5 booked\".", $"booked {token.Raw}");
                }
                throw UnknownWordInLog(token);
            }
            if (values.Count == 0)
            {
                throw Fail(string.Empty, EndPosition, "There is nothing to log: add a statistic and a number, like \"booked 5 held 3\".", "booked 5 held 3");
            }
            return new LogCommand(date ?? _c.Today, date is not null, values);
        }

        // ---- pipeline snapshots ---------------------------------------------------------------

        /// <summary>"pipeline prospecting 12 …" or "pipeline 12 prospecting …" logs a snapshot; anything else after "pipeline" asks for the card.</summary>
        private bool StartsSnapshot(int index) =>
            index < _t.Count && (LooksLikeCount(_t[index]) || (FindStage(_c.Stages, _t[index].Norm) is not null && index + 1 < _t.Count && LooksLikeCount(_t[index + 1])));

        private PipelineSnapshotCommand ParsePipelineSnapshot(int start)
        {
            DateOnly? date = null;
            var counts = new List<StageCount>();
            var i = start;
            while (i < _t.Count)
            {
                var token = _t[i];
                if (token.Norm is "and" or "&" or "+" or "in")
                {
                    i++;
                    continue;
                }
                if (Readers.TryReadDate(_t, i, _c.Today, out var day, out var dateWords))
                {
                    if (date is not null)
                    {
                        throw Fail(token, "A snapshot is of one day; this is a second date.", null);
                    }
                    CheckNotFuture(token, day, "log a snapshot for today or an earlier day");
                    date = day;
                    i += dateWords;
                    continue;
                }
                if (LooksLikeCount(token))
                {
                    var open = ReadOpenCount(token);
                    var at = i + 1 < _t.Count && _t[i + 1].Norm == "in" ? i + 2 : i + 1;
                    var stage = ReadStage(at, out var stageWords);
                    AddStage(counts, stage, _t[at], open);
                    i = at + stageWords;
                    continue;
                }
                var key = ReadStage(i, out var words);
                var numberIndex = i + words;
                if (numberIndex >= _t.Count || !LooksLikeCount(_t[numberIndex]))
                {
                    throw Fail(numberIndex < _t.Count ? _t[numberIndex] : null, $"\"{token.Raw}\" needs the number of open leads next to it, like \"{key} 12\".", $"pipeline {key} 12");
                }
                AddStage(counts, key, token, ReadOpenCount(_t[numberIndex]));
                i = numberIndex + 1;
            }
            if (counts.Count == 0)
            {
                throw Fail(string.Empty, EndPosition, "A pipeline snapshot needs a stage and its open count, like \"pipeline prospecting 12 qualified 5\".", "pipeline prospecting 12 qualified 5");
            }
            return new PipelineSnapshotCommand(date ?? _c.Today, date is not null, counts);
        }

        private void AddStage(List<StageCount> counts, string stageKey, Token token, int open)
        {
            if (counts.Any(c => c.StageKey == stageKey))
            {
                throw Fail(token, $"The stage {stageKey} appears twice in this snapshot; give it once.", null);
            }
            counts.Add(new StageCount(stageKey, open));
        }

        /// <summary>An open count of one stage: a whole number up to <see cref="EntryRules.MaxSnapshotCount"/>.</summary>
        private int ReadOpenCount(Token token) => ReadWholeNumber(token, EntryRules.MaxSnapshotCount, new CountWords(
            "An open count is a whole number like 12.",
            "An open count can't be negative; give how many leads are open in the stage now.",
            "An open count is a whole number of leads.",
            $"{token.Raw} open in one stage looks like a typo; a snapshot takes at most {EntryRules.MaxSnapshotCount} per stage."));

        private void CheckLoggable(MetricDefinition metric, Token token)
        {
            if (metric.Source != MetricSource.Logged)
            {
                throw metric.Source == MetricSource.Deals
                    ? Fail(token, $"{metric.DisplayName} comes from the deals you close, so it is never typed as a number. Record the deal instead.", "won Acme 120k")
                    : Fail(token, $"{metric.DisplayName} is computed from your logged numbers; it can't be logged.", "booked 5 held 3");
            }
        }

        private void Add(List<MetricValue> values, MetricDefinition metric, Token token, int value)
        {
            if (values.Any(v => v.MetricKey == metric.Key))
            {
                throw Fail(token, $"{metric.DisplayName} appears twice in this message; give it once with the total.", null);
            }
            values.Add(new MetricValue(metric.Key, value));
        }

        private bool TryReadMetric(int index, [NotNullWhen(true)] out MetricDefinition? metric, out int words)
        {
            // Longest synonym first: "meetings booked" before "meetings".
            for (var length = Math.Min(3, _t.Count - index); length >= 1; length--)
            {
                var phrase = string.Join(' ', Enumerable.Range(index, length).Select(k => _t[k].Norm));
                metric = FindMetric(_c.Metrics, phrase);
                if (metric is not null)
                {
                    words = length;
                    return true;
                }
            }
            metric = null;
            words = 0;
            return false;
        }

        private static bool LooksLikeCount(Token token) =>
            token.Norm.Length > 0 && (char.IsAsciiDigit(token.Norm[0]) || (token.Norm.Length > 1 && token.Norm[0] is '-' or '+' && char.IsAsciiDigit(token.Norm[1])));

        /// <summary>A day's count of one statistic: a whole number up to the team's daily maximum.</summary>
        private int ReadCount(Token token) => ReadWholeNumber(token, _c.MaxDailyCount, new CountWords(
            "A count is a whole number like 3.",
            "Counts can't be negative. To correct a number, type \"undo\" and log it again.",
            "Counts are whole numbers (meetings, leads, proposals).",
            $"{token.Raw} is more than the {_c.MaxDailyCount} a day I accept for one statistic; check the number."));

        /// <summary>What to say when a count is not a number, negative, not whole or too large.</summary>
        private sealed record CountWords(string NotANumber, string Negative, string NotWhole, string TooLarge);

        private int ReadWholeNumber(Token token, int max, CountWords words)
        {
            if (!decimal.TryParse(token.Norm, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            {
                throw Fail(token, words.NotANumber, null);
            }
            if (value < 0)
            {
                throw Fail(token, words.Negative, null);
            }
            if (value != decimal.Truncate(value))
            {
                throw Fail(token, words.NotWhole, decimal.Truncate(value).ToString(CultureInfo.InvariantCulture));
            }
            if (value > max)
            {
                throw Fail(token, words.TooLarge, null);
            }
            return (int)value;
        }

        private CommandParseException UnknownWordInLog(Token token)
        {
            var metricWords = _c.Metrics.Where(m => m.Source == MetricSource.Logged).SelectMany(m => m.Synonyms.Append(m.Key)).Select(TextTools.Fold).Distinct().ToList();
            var closest = TextTools.Closest(token.Norm, metricWords);
            if (closest is not null)
            {
                var metric = FindMetric(_c.Metrics, closest)!;
                return Fail(token, $"\"{token.Raw}\" is not a statistic this team tracks.", metric.Key);
            }
            var tracked = string.Join(", ", _c.Metrics.Where(m => m.Source == MetricSource.Logged).Select(m => m.Key));
            return Fail(token, $"\"{token.Raw}\" is not a statistic, a number or a day. This team logs {tracked}.", "booked 5 held 3");
        }

        // ---- deals ------------------------------------------------------------------------------

        private WonCommand ParseWon(int start)
        {
            if (start < _t.Count && Readers.TryReadAmount(_t, start, _c.Currency, out _, out var leadingAmount)
                && (start + leadingAmount == _t.Count || Readers.StartsDate(_t, start + leadingAmount, _c.Today)))
            {
                throw Fail(_t[start], "Deals won are counted from the deals you close: name the deal and its value.", "won Acme 120k");
            }
            var (name, afterName) = ReadDealName(start, "won", stopAtAmount: true);
            Money? amount = null;
            var i = afterName;
            if (i < _t.Count && Readers.TryReadAmount(_t, i, _c.Currency, out var money, out var amountWords))
            {
                amount = CheckAmount(_t[i], money);
                i += amountWords;
            }
            var date = _c.Today;
            if (i < _t.Count && Readers.TryReadDate(_t, i, _c.Today, out var day, out var dateWords))
            {
                CheckNotFuture(_t[i], day, "a deal is won on today or an earlier day");
                date = day;
                i += dateWords;
            }
            ExpectEnd(i, "won Acme 120k");
            return new WonCommand(name, amount, date);
        }

        private NewDealCommand ParseDeal(int start)
        {
            var (name, i) = ReadDealName(start, "deal", stopAtAmount: true);
            if (i >= _t.Count || !Readers.TryReadAmount(_t, i, _c.Currency, out var money, out var amountWords))
            {
                throw Fail(i < _t.Count ? _t[i] : null, "A new deal needs its value, like \"deal Acme 250k stage proposal close 2027-01-31\".", "deal Acme 250k");
            }
            var amount = CheckAmount(_t[i], money);
            i += amountWords;
            string? stage = null;
            DateOnly? close = null;
            while (i < _t.Count)
            {
                var word = _t[i].Norm;
                if (word is "stage" or "in" or "at")
                {
                    stage = ReadStage(i + 1, out var stageWords);
                    i += 1 + stageWords;
                    continue;
                }
                if (word is "close" or "closes" or "closing" or "expected" or "by")
                {
                    var dateIndex = i + 1;
                    if (word == "expected" && dateIndex < _t.Count && _t[dateIndex].Norm is "close" or "closing")
                    {
                        dateIndex++;
                    }
                    if (!Readers.TryReadDate(_t, dateIndex, _c.Today, out var expected, out var dateWords))
                    {
                        throw Fail(dateIndex < _t.Count ? _t[dateIndex] : null, "The expected close should be a date like 2027-01-31.", "close " + Readers.Iso(_c.Today.AddMonths(1)));
                    }
                    if (expected < _c.Today)
                    {
                        throw Fail(_t[dateIndex], "The expected close date is in the past; give today or a later day.", "close " + Readers.Iso(_c.Today.AddMonths(1)));
                    }
                    close = expected;
                    i = dateIndex + dateWords;
                    continue;
                }
                if (FindStage(_c.Stages, word) is { } bare && stage is null)
                {
                    stage = bare.Key;
                    i++;
                    continue;
                }
                throw Fail(_t[i], "After the value a deal takes \"stage <stage>\" and \"close <date>\".", "deal Acme 250k stage proposal close 2027-01-31");
            }
            return new NewDealCommand(name, amount, stage, close);
        }

        private ParsedCommand ParseMove(int start)
        {
            var toIndex = -1;
            for (var k = _t.Count - 1; k > start; k--)
            {
                if (_t[k].Norm is "to" or "into")
                {
                    toIndex = k;
                    break;
                }
            }
            if (toIndex < 0)
            {
                throw Fail(string.Empty, EndPosition, "Say where the deal moves: \"move Acme to negotiation\".", "move Acme to negotiation");
            }
            var name = JoinRaw(start, toIndex);
            var i = toIndex + 1;
            if (i < _t.Count && _t[i].Norm is "won" or "lost")
            {
                var outcome = _t[i].Norm;
                var date = ReadOptionalPastDate(i + 1, out var end);
                ExpectEnd(end, "move Acme to negotiation");
                return outcome == "won" ? new WonCommand(name, null, date) : new LostCommand(name, date);
            }
            var stage = ReadStage(i, out var stageWords);
            var day = ReadOptionalPastDate(i + stageWords, out var after);
            ExpectEnd(after, "move Acme to negotiation");
            return new MoveDealCommand(name, stage, day);
        }

        private LostCommand ParseLost(int start)
        {
            var (name, i) = ReadDealName(start, "lost", stopAtAmount: false);
            var date = ReadOptionalPastDate(i, out var end);
            ExpectEnd(end, "lost Acme");
            return new LostCommand(name, date);
        }

        private DateOnly ReadOptionalPastDate(int index, out int end)
        {
            end = index;
            if (index < _t.Count && Readers.TryReadDate(_t, index, _c.Today, out var day, out var words))
            {
                CheckNotFuture(_t[index], day, "use today or an earlier day");
                end = index + words;
                return day;
            }
            return _c.Today;
        }

        private (string Name, int Next) ReadDealName(int start, string verb, bool stopAtAmount)
        {
            var i = start;
            while (i < _t.Count)
            {
                if (i > start && stopAtAmount && Readers.TryReadAmount(_t, i, _c.Currency, out _, out _))
                {
                    break;
                }
                if (i > start && (Readers.StartsDate(_t, i, _c.Today) || (verb == "deal" && _t[i].Norm is "stage" or "close" or "expected" or "closing")))
                {
                    break;
                }
                i++;
            }
            if (i == start)
            {
                throw Fail(string.Empty, EndPosition, $"Which deal? Name it, like \"{verb} Acme\".", verb == "deal" ? "deal Acme 250k" : $"{verb} Acme");
            }
            return (JoinRaw(start, i), i);
        }

        private string ReadStage(int index, out int words)
        {
            if (index >= _t.Count)
            {
                throw Fail(string.Empty, EndPosition, "Which stage? " + StageList(), _c.Stages.FirstOrDefault()?.Key);
            }
            for (var length = Math.Min(2, _t.Count - index); length >= 1; length--)
            {
                var phrase = string.Join(' ', Enumerable.Range(index, length).Select(k => _t[k].Norm));
                if (FindStage(_c.Stages, phrase) is { } stage)
                {
                    words = length;
                    return stage.Key;
                }
            }
            var all = _c.Stages.SelectMany(s => s.Synonyms.Append(s.Key)).Select(TextTools.Fold).Distinct();
            var closest = TextTools.Closest(_t[index].Norm, all);
            var suggestion = closest is null ? null : FindStage(_c.Stages, closest)?.Key;
            throw Fail(_t[index], $"\"{_t[index].Raw}\" is not a stage of this team. {StageList()}", suggestion);
        }

        private string StageList() => "The stages are " + string.Join(", ", _c.Stages.OrderBy(s => s.Order).Select(s => s.Key)) + ".";

        private Money CheckAmount(Token token, Money money)
        {
            if (money.Value <= 0)
            {
                throw Fail(token, "A deal's value must be more than zero.", "120k");
            }
            if (money.Value > 10_000_000_000m)
            {
                throw Fail(token, "That value is larger than any deal I accept (10 000 000 000); check the number.", null);
            }
            if (!string.Equals(money.Currency, _c.Currency, StringComparison.OrdinalIgnoreCase))
            {
                throw Fail(token, $"This team counts money in {_c.Currency}, and I don't convert currencies. Give the value in {_c.Currency} (an admin can change it with \"currency {money.Currency}\").", null);
            }
            return money;
        }

        // ---- away -----------------------------------------------------------------------------------

        private AwayCommand ParseAway(int start)
        {
            var from = _c.Today;
            var i = start;
            if (i < _t.Count && _t[i].Norm is "from")
            {
                if (!Readers.TryReadDate(_t, i + 1, _c.Today, out from, out var fromWords))
                {
                    throw Fail(i + 1 < _t.Count ? _t[i + 1] : null, "\"away from\" needs a date like 2026-12-21.", "away until " + Readers.Iso(_c.Today.AddDays(7)));
                }
                i += 1 + fromWords;
            }
            if (i >= _t.Count || _t[i].Norm is not ("until" or "till" or "til" or "to" or "through"))
            {
                throw Fail(i < _t.Count ? _t[i] : null, "Say until when, like \"away until 2026-12-20\".", "away until " + Readers.Iso(_c.Today.AddDays(7)));
            }
            if (!TryReadFutureDate(i + 1, out var to, out var toWords))
            {
                throw Fail(i + 1 < _t.Count ? _t[i + 1] : null, "The last day away should be a date like 2026-12-20.", "away until " + Readers.Iso(_c.Today.AddDays(7)));
            }
            ExpectEnd(i + 1 + toWords, "away until " + Readers.Iso(_c.Today.AddDays(7)));
            if (to < from)
            {
                throw Fail(_t[i + 1], "The last day away is before the first one.", null);
            }
            if (to.DayNumber - from.DayNumber > 366)
            {
                throw Fail(_t[i + 1], "An away period can be at most a year long.", null);
            }
            return new AwayCommand(from, to);
        }

        /// <summary>Dates for "until": an ISO date, today, or a weekday name meaning the next one (on or after today).</summary>
        private bool TryReadFutureDate(int index, out DateOnly date, out int words)
        {
            if (Readers.TryReadDate(_t, index, _c.Today, out date, out words))
            {
                var norm = _t[index].Norm == "on" ? _t[index + 1].Norm : _t[index].Norm;
                if (norm is not ("today" or "yesterday" or "last") && !norm.Contains('-', StringComparison.Ordinal) && date < _c.Today)
                {
                    date = date.AddDays(7); // "away until friday": the coming friday.
                }
                return true;
            }
            return false;
        }

        // ---- questions ------------------------------------------------------------------------------

        private ParsedCommand ParseMy()
        {
            if (_t.Count < 2)
            {
                throw Fail(string.Empty, EndPosition, "My what? Try \"my week\", \"my stats\", \"my funnel\" or \"my pipeline\".", "my stats");
            }
            var word = _t[1].Norm;
            switch (word)
            {
                case "week":
                    ExpectEnd(2, "my week");
                    return new MyWeekCommand();
                case "stats" or "statistics" or "kpis" or "numbers":
                    return new QuestionCommand(QuestionKind.Stats, Subject.Self, ReadOptionalPeriod(2, "my stats"));
                case "trend" or "status" or "state":
                    return new QuestionCommand(QuestionKind.Trend, Subject.Self, ReadOptionalPeriod(2, "my trend"));
                case "funnel" or "conversion":
                    return new QuestionCommand(QuestionKind.Funnel, Subject.Self, ReadOptionalPeriod(2, "my funnel"));
                case "pipeline" or "deals":
                    return new QuestionCommand(QuestionKind.Pipeline, Subject.Self, ReadOptionalPeriod(2, "my pipeline"));
                case "forecast":
                    return new QuestionCommand(QuestionKind.Forecast, Subject.Self, ReadOptionalPeriod(_t.Count > 2 && _t[2].Norm == "accuracy" ? 3 : 2, "my forecast"));
                default:
                    var closest = TextTools.Closest(word, ["week", "stats", "trend", "funnel", "pipeline", "forecast"]);
                    throw Fail(_t[1], "After \"my\" I know week, stats, trend, funnel, pipeline and forecast.", closest is null ? "my stats" : "my " + closest);
            }
        }

        private ParsedCommand ParseHow()
        {
            // how am i trending / how am i doing / how is anna trending / how's anna doing / how are we doing
            if (_t.Count < 3 || _t[1].Norm is not ("am" or "is" or "are" or "does" or "do"))
            {
                throw Fail(_t.Count > 1 ? _t[1] : null, "Ask like \"how am I trending\" or \"how is Anna doing\".", "how am I trending");
            }
            var end = _t.Count;
            var verbIndex = -1;
            for (var k = 2; k < _t.Count; k++)
            {
                if (_t[k].Norm is "trending" or "doing" or "going" or "performing" or "tracking")
                {
                    verbIndex = k;
                    break;
                }
            }
            if (verbIndex < 0)
            {
                // "how is anna" / "how is the team": the verb is optional when nothing else follows.
                verbIndex = end;
            }
            if (verbIndex == 2)
            {
                throw Fail(_t[2], "Who? Ask like \"how is Anna trending\".", "how am I trending");
            }
            var subject = SubjectOf(2, verbIndex);
            var period = ReadOptionalPeriod(Math.Min(verbIndex + 1, _t.Count), "how am I trending");
            return subject.Kind == SubjectKind.Team
                ? new QuestionCommand(QuestionKind.TeamStatus, Subject.Team, period)
                : new QuestionCommand(QuestionKind.Trend, subject, period);
        }

        private QuestionCommand ParseTeam(int start)
        {
            if (start >= _t.Count)
            {
                return new QuestionCommand(QuestionKind.TeamStatus, Subject.Team, null);
            }
            var word = _t[start].Norm;
            var kind = word switch
            {
                "status" or "overview" or "states" or "state" or "stats" or "trend" or "trends" => QuestionKind.TeamStatus,
                "funnel" or "conversion" => QuestionKind.Funnel,
                "pipeline" => QuestionKind.Pipeline,
                "forecast" => QuestionKind.Forecast,
                "coaching" => QuestionKind.Coaching,
                _ => (QuestionKind?)null,
            } ?? (Readers.StartsPeriod(_t, start) ? QuestionKind.TeamStatus : throw Fail(_t[start], "After \"team\" I know status, funnel, pipeline and forecast.", TextTools.Closest(word, ["status", "funnel", "pipeline", "forecast"]) is { } c ? "team " + c : "team status"));
            var periodStart = Readers.StartsPeriod(_t, start) && kind == QuestionKind.TeamStatus && word is not ("status" or "overview" or "states" or "state" or "stats" or "trend" or "trends") ? start : start + 1;
            if (kind == QuestionKind.Forecast && periodStart < _t.Count && _t[periodStart].Norm == "accuracy")
            {
                periodStart++;
            }
            return new QuestionCommand(kind, Subject.Team, ReadOptionalPeriod(periodStart, "team " + word));
        }

        private QuestionCommand ParseWho()
        {
            // who needs coaching / who needs help / who needs attention
            if (_t.Count >= 3 && _t[1].Norm is "needs" or "need" && _t[2].Norm is "coaching" or "help" or "attention" or "support")
            {
                return new QuestionCommand(QuestionKind.Coaching, Subject.Team, ReadOptionalPeriod(3, "who needs coaching"));
            }
            throw Fail(_t.Count > 1 ? _t[1] : null, "Ask \"who needs coaching\".", "who needs coaching");
        }

        /// <summary>"funnel for Anna last 12 weeks", "stats for me", "forecast accuracy in 2017".</summary>
        private QuestionCommand ParseSubjectQuestion(QuestionKind kind, int start, Subject defaultSubject, string example)
        {
            var subject = defaultSubject;
            var i = start;
            if (i < _t.Count && _t[i].Norm is "for" or "of")
            {
                var nameEnd = i + 1;
                while (nameEnd < _t.Count && !Readers.StartsPeriod(_t, nameEnd))
                {
                    nameEnd++;
                }
                if (nameEnd == i + 1)
                {
                    throw Fail(i + 1 < _t.Count ? _t[i + 1] : null, "For whom? Name a person, like \"funnel for Anna\".", example + " for Anna");
                }
                subject = SubjectOf(i + 1, nameEnd);
                i = nameEnd;
            }
            return new QuestionCommand(kind, subject, ReadOptionalPeriod(i, example));
        }

        private Subject SubjectOf(int from, int to)
        {
            var folded = string.Join(' ', Enumerable.Range(from, to - from).Select(k => _t[k].Norm));
            return folded switch
            {
                "i" or "me" or "myself" or "my" => Subject.Self,
                "we" or "us" or "team" or "the team" or "my team" or "our team" or "everyone" => Subject.Team,
                _ => new Subject(SubjectKind.Person, JoinRaw(from, to)),
            };
        }

        private QuestionPeriod? ReadOptionalPeriod(int index, string example)
        {
            if (index >= _t.Count)
            {
                return null;
            }
            if (Readers.TryReadPeriod(_t, index, _c.Today, out var period, out var words, out var error))
            {
                ExpectEnd(index + words, example + " last 12 weeks");
                return period;
            }
            if (error is not null)
            {
                throw new CommandParseException(error);
            }
            throw Fail(_t[index], "I expected a period here, like \"last 12 weeks\", \"in 2017\", \"Q4 2017\", \"from D to D\" or \"as of D\".", example + " last 12 weeks");
        }

        /// <summary>Messages that start with a name, a metric, a number or a day.</summary>
        private ParsedCommand ParseOther()
        {
            var first = _t[0];
            if (LooksLikeCount(first) || Readers.StartsDate(_t, 0, _c.Today) || TryReadMetric(0, out _, out _))
            {
                return ParseLog(0);
            }
            // "Anna trend", "anna stats last 12 weeks", "Anna funnel", "anna snelling trending"
            for (var k = 1; k < _t.Count; k++)
            {
                if (QuestionWords.Contains(_t[k].Norm))
                {
                    var kind = _t[k].Norm switch
                    {
                        "stats" or "statistics" or "kpis" or "numbers" => QuestionKind.Stats,
                        "funnel" or "conversion" => QuestionKind.Funnel,
                        "pipeline" => QuestionKind.Pipeline,
                        "forecast" => QuestionKind.Forecast,
                        _ => QuestionKind.Trend,
                    };
                    var subject = SubjectOf(0, k);
                    var periodIndex = k + 1;
                    if (kind == QuestionKind.Forecast && periodIndex < _t.Count && _t[periodIndex].Norm == "accuracy")
                    {
                        periodIndex++;
                    }
                    var period = ReadOptionalPeriod(periodIndex, "Anna trend");
                    return subject.Kind == SubjectKind.Team && kind == QuestionKind.Trend
                        ? new QuestionCommand(QuestionKind.TeamStatus, Subject.Team, period)
                        : new QuestionCommand(kind, subject, period);
                }
            }
            // A message with a number in it is meant as logging: point at the first word that isn't a metric.
            if (_t.Any(LooksLikeCount))
            {
                var metricWords = _c.Metrics.Where(m => m.Source == MetricSource.Logged).SelectMany(m => m.Synonyms.Append(m.Key)).Select(TextTools.Fold);
                if (TextTools.Closest(first.Norm, metricWords) is not null)
                {
                    throw UnknownWordInLog(first);
                }
            }
            var command = TextTools.Closest(first.Norm, CommandWords);
            throw Fail(first, "That is not a command I know. Type \"help\" to see what I understand.", command is null ? "help" : ExampleFor(command));
        }

        // ---- admin ----------------------------------------------------------------------------------

        private MakeRoleCommand ParseMake()
        {
            if (_t.Count < 3)
            {
                throw Fail(string.Empty, EndPosition, "Say who and which role: \"make @Bob manager\".", "make @Bob manager");
            }
            var roleToken = _t[^1];
            Role? role = roleToken.Norm switch
            {
                "manager" or "managers" or "lead" => Role.Manager,
                "admin" or "administrator" => Role.Admin,
                "rep" or "salesperson" or "seller" or "member" => Role.Rep,
                _ => null,
            };
            if (role is null)
            {
                var closest = TextTools.Closest(roleToken.Norm, ["manager", "admin", "rep"]);
                throw Fail(roleToken, "The roles are rep, manager and admin.", closest is null ? "make @Bob manager" : closest);
            }
            var nameEnd = _t.Count - 1;
            if (_t[nameEnd - 1].Norm is "a" or "an" or "the")
            {
                nameEnd--;
            }
            if (nameEnd <= 1)
            {
                throw Fail(roleToken, "Say who: \"make @Bob manager\".", "make @Bob manager");
            }
            return new MakeRoleCommand(JoinRaw(1, nameEnd), role.Value);
        }

        private SetTimeZoneCommand ParseTimeZone(int start)
        {
            var i = start < _t.Count && _t[start].Norm is "to" or "is" ? start + 1 : start;
            if (i >= _t.Count)
            {
                throw Fail(string.Empty, EndPosition, "Which time zone? Use an IANA name.", "timezone Europe/Stockholm");
            }
            ExpectEnd(i + 1, "timezone Europe/Stockholm");
            var raw = _t[i].Raw;
            var zone = FindTimeZone(raw);
            if (zone is null)
            {
                throw Fail(_t[i], "That is not a time zone I know; use an IANA name like Europe/Stockholm or America/New_York.", "timezone Europe/Stockholm");
            }
            return new SetTimeZoneCommand(zone);
        }

        private static string? FindTimeZone(string raw)
        {
            if (raw.Contains('/', StringComparison.Ordinal) || raw.Equals("UTC", StringComparison.OrdinalIgnoreCase))
            {
                if (TimeZoneInfo.TryFindSystemTimeZoneById(raw, out var zone))
                {
                    return zone.Id;
                }
                // People type "europe/stockholm": find the zone whose id matches case-insensitively.
                return TimeZoneInfo.GetSystemTimeZones().FirstOrDefault(z => z.Id.Equals(raw, StringComparison.OrdinalIgnoreCase))?.Id;
            }
            return null;
        }

        private SetCurrencyCommand ParseCurrency(int start)
        {
            var i = start < _t.Count && _t[start].Norm is "to" or "is" ? start + 1 : start;
            if (i >= _t.Count)
            {
                throw Fail(string.Empty, EndPosition, "Which currency? Use an ISO code.", "currency SEK");
            }
            ExpectEnd(i + 1, "currency SEK");
            var code = _t[i].Norm;
            if (!Currencies.IsIsoCode(code))
            {
                throw Fail(_t[i], "That is not an ISO 4217 currency code; use three letters like SEK, EUR or USD.", "currency SEK");
            }
            return new SetCurrencyCommand(code.ToUpperInvariant());
        }

        private ParsedCommand ParseSet()
        {
            if (_t.Count > 1 && _t[1].Norm == "stage")
            {
                return ParseStageProbability(2);
            }
            if (_t.Count > 1 && _t[1].Norm is "timezone" or "tz")
            {
                return ParseTimeZone(2);
            }
            if (_t.Count > 1 && _t[1].Norm == "currency")
            {
                return ParseCurrency(2);
            }
            throw Fail(_t.Count > 1 ? _t[1] : null, "I can set a stage's probability, the time zone or the currency.", "set stage proposal 50%");
        }

        private SetStageProbabilityCommand ParseStageProbability(int start)
        {
            var stage = ReadStage(start, out var words);
            var i = start + words;
            if (i < _t.Count && _t[i].Norm is "to" or "at" or "probability")
            {
                i++;
            }
            if (i >= _t.Count)
            {
                throw Fail(string.Empty, EndPosition, "Give the probability as a percentage.", $"set stage {stage} 50%");
            }
            var text = _t[i].Norm.TrimEnd('%');
            var percentSign = i + 1 < _t.Count && _t[i + 1].Norm is "%" or "percent" ? 1 : 0;
            if (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var percent) || percent is < 0 or > 100)
            {
                throw Fail(_t[i], "A probability is a percentage from 0 to 100.", $"set stage {stage} 50%");
            }
            ExpectEnd(i + 1 + percentSign, $"set stage {stage} 50%");
            return new SetStageProbabilityCommand(stage, percent / 100.0);
        }

        private LinkPersonCommand ParseLink()
        {
            var toIndex = -1;
            for (var k = _t.Count - 2; k > 1; k--)
            {
                if (_t[k].Norm == "to")
                {
                    toIndex = k;
                    break;
                }
            }
            if (toIndex < 0)
            {
                throw Fail(string.Empty, EndPosition, "Say who to link to which chat user: \"link Anna Snelling to @anna\".", "link Anna Snelling to @anna");
            }
            return new LinkPersonCommand(JoinRaw(1, toIndex), JoinRaw(toIndex + 1, _t.Count));
        }

        // ---- helpers ----------------------------------------------------------------------------------

        private static string ExampleFor(string command) => command switch
        {
            "log" => "log booked 5 held 3",
            "won" => "won Acme 120k",
            "deal" => "deal Acme 250k stage proposal",
            "move" => "move Acme to negotiation",
            "lost" => "lost Acme",
            "away" => "away until 2026-12-20",
            "my" => "my stats",
            "how" => "how am I trending",
            "team" => "team status",
            "who" => "who needs coaching",
            "forecast" => "forecast accuracy",
            "make" => "make @Bob manager",
            "timezone" => "timezone Europe/Stockholm",
            "currency" => "currency SEK",
            "set" => "set stage proposal 50%",
            "link" => "link Anna Snelling to @anna",
            _ => command,
        };

        private void CheckNotFuture(Token token, DateOnly day, string whatWorks)
        {
            if (day > _c.Today)
            {
                throw Fail(token, $"{Readers.Iso(day)} is in the future; {whatWorks}.", "today");
            }
        }

        private void ExpectEnd(int index, string example)
        {
            if (index < _t.Count)
            {
                throw Fail(_t[index], $"I didn't expect more words here. The command reads like \"{example}\".", example);
            }
        }

        private string JoinRaw(int from, int to) => string.Join(' ', Enumerable.Range(from, to - from).Select(k => _t[k].Raw));

        private CommandParseException Fail(Token? token, string message, string? suggestion) =>
            token is null ? Fail(string.Empty, EndPosition, message, suggestion) : Fail(token.Raw, token.Position, message, suggestion);

        private static CommandParseException Fail(string word, int position, string message, string? suggestion) =>
            new(new ParseError(word, position, message, suggestion));
    }
}
