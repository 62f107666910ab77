using System.Globalization;
using KpiBot.Conversation.Parsing;
using KpiBot.Conversation.Routing;
using KpiBot.Domain;
using KpiBot.Replies;

namespace KpiBot.Conversation.Commands;

/// <summary>
/// <c>log booked 5 held 3</c> and the logging form (FormId <c>log</c>). Stores one change set keyed by the
/// platform's message id, so a retried delivery is stored once; replies with what was stored and the week so far.
/// </summary>
public sealed class LogNumbersCommand : ParsedChatCommand<LogCommand>
{
    /// <summary>The form id of the logging form.</summary>
    public const string FormId = "log";

    /// <summary>The optional date field of the logging form (ISO yyyy-MM-dd; empty means today).</summary>
    public const string DateField = "date";

    /// <inheritdoc />
    public override string Name => "log";

    /// <inheritdoc />
    public override CommandDescription Describe() => new(
        "logging",
        "Log your numbers for today or an earlier day.",
        ["booked 5 held 3 qualified 2", "5 booked 3 held", "held 2 yesterday", "mon booked 3", "log 2026-12-01 booked 4"]);

    /// <inheritdoc />
    public override CommandMatch? TryMatch(string text, MatchContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Form is { } form && string.Equals(form.FormId, FormId, StringComparison.OrdinalIgnoreCase))
        {
            return new CommandMatch(form);
        }
        return base.TryMatch(text, context);
    }

    /// <summary>Runs a typed log or a submitted logging form.</summary>
    public override Task<BotResponse> HandleAsync(CommandMatch match, CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(match);
        ArgumentNullException.ThrowIfNull(context);
        if (match.Arguments is FormSubmission form)
        {
            var parsed = ReadForm(form, context.Parsing, out var problem);
            return Task.FromResult(parsed is null ? BotResponse.Of(problem!) : Store(parsed, context));
        }
        return base.HandleAsync(match, context, cancellationToken);
    }

    /// <inheritdoc />
    protected override Task<BotResponse> HandleAsync(LogCommand command, CommandContext context, CancellationToken cancellationToken) =>
        Task.FromResult(Store(command, context));

    /// <summary>
    /// Validates a submitted logging form field by field: each value empty or a whole number from 0 to the
    /// team's daily maximum, the date empty or an ISO date not in the future. The first bad field is named.
    /// </summary>
    public static LogCommand? ReadForm(FormSubmission form, ParseContext parsing, out Reply? problem)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(parsing);
        problem = null;
        var date = parsing.Today;
        var dateGiven = false;
        if (form.Values.TryGetValue(DateField, out var dateText) && !string.IsNullOrWhiteSpace(dateText))
        {
            if (!DateOnly.TryParseExact(dateText.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
            {
                problem = FieldProblem("Date", dateText, "should be a date like 2026-12-01");
                return null;
            }
            if (date > parsing.Today)
            {
                problem = FieldProblem("Date", dateText, "is in the future; log for today or an earlier day");
                return null;
            }
            dateGiven = true;
        }
        var values = new List<MetricValue>();
        foreach (var metric in parsing.Metrics.Where(m => m.Source == MetricSource.Logged))
        {
            if (!form.Values.TryGetValue(metric.Key, out var raw) || string.IsNullOrWhiteSpace(raw))
            {
                continue;
            }
            if (!decimal.TryParse(raw.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value != decimal.Truncate(value))
            {
                problem = FieldProblem(metric.DisplayName, raw, "should be a whole number like 3");
                return null;
            }
            if (value < 0 || value > parsing.MaxDailyCount)
            {
                problem = FieldProblem(metric.DisplayName, raw, $"should be from 0 to {parsing.MaxDailyCount}");
                return null;
            }
            values.Add(new MetricValue(metric.Key, (int)value));
        }
        var unknown = form.Values.Keys.FirstOrDefault(k => k != DateField && !parsing.Metrics.Any(m => m.Key == k && m.Source == MetricSource.Logged));
        if (unknown is not null)
        {
            problem = FieldProblem(unknown, form.Values[unknown], "is not a statistic this team logs");
            return null;
        }
        if (values.Count == 0)
        {
            problem = Reply.Text("The form was empty: fill in at least one number. Nothing was stored.", Tone.Warning);
            return null;
        }
        return new LogCommand(date, dateGiven, values);
    }

    private static Reply FieldProblem(string field, string value, string what) =>
        Reply.Text($"The field \"{field}\" (\"{value}\") {what}. Nothing was stored.", Tone.Attention);

    private static BotResponse Store(LogCommand command, CommandContext context)
    {
        var now = context.Now;
        var entries = command.Values
            .Select(v => new DailyEntry(Bot.NewId(), context.Workspace.Id, context.Person.Id, command.Date, v.MetricKey, v.Value, context.Person.Id, string.Empty, now))
            .ToList();
        var summary = Summarize(command, context.Team);
        var result = context.Store.Apply(ChangeSet.Entries(context.Workspace.Id, context.Person.Id, context.Message.SourceId, summary, now, entries));
        return BotResponse.Of(Confirmation(command, context, result.Duplicate));
    }

    /// <summary>"booked 5, held 3 on 2026-12-04": what the author reads back on undo.</summary>
    public static string Summarize(LogCommand command, Team team)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(team);
        return string.Join(", ", command.Values.Select(v => $"{v.MetricKey} {v.Value}")) + " on " + Readers.Iso(command.Date);
    }

    private static Reply Confirmation(LogCommand command, CommandContext context, bool duplicate)
    {
        var metrics = context.Team.Metrics;
        var heading = $"Logged for {ConversationReplies.Day(command.Date)}";
        var blocks = new List<ReplyBlock>
        {
            new Heading(heading),
            new FactList(command.Values.Select(v => new Fact(DisplayName(metrics, v.MetricKey), v.Value.ToString(CultureInfo.InvariantCulture))).ToList()),
        };
        if (duplicate)
        {
            blocks.Add(new Paragraph("I had already stored this message, so nothing was counted twice.", Tone.Muted));
        }
        if (context.Person.IsAwayOn(command.Date))
        {
            blocks.Add(new Paragraph($"You are marked away on {ConversationReplies.Day(command.Date)}; that week stays out of your trend.", Tone.Muted));
        }
        blocks.Add(WeekTable(context, command.Date));
        blocks.Add(new Actions([new ReplyAction("My week", "my week"), new ReplyAction("How am I trending", "how am I trending"), new ReplyAction("Undo", "undo")]));
        blocks.Add(LoggingForm(context.Team));
        var summary = $"{heading}: " + string.Join(", ", command.Values.Select(v => $"{v.MetricKey} {v.Value}"));
        return new Reply(summary, blocks);
    }

    /// <summary>The week containing <paramref name="day"/>: one row per logged statistic, one column per day up to today, and the total.</summary>
    public static Table WeekTable(CommandContext context, DateOnly day)
    {
        ArgumentNullException.ThrowIfNull(context);
        var monday = Weeks.MondayOf(day);
        var last = monday.AddDays(6) < context.Today ? monday.AddDays(6) : (day > context.Today ? day : context.Today);
        if (last < monday)
        {
            last = monday;
        }
        var entries = context.Store.GetEntries(context.Workspace.Id, [context.Person.Id], monday, last);
        var days = Enumerable.Range(0, last.DayNumber - monday.DayNumber + 1).Select(monday.AddDays).ToList();
        var columns = new List<string> { $"Week of {ConversationReplies.Day(monday)}" };
        columns.AddRange(days.Select(d => d.ToString("ddd", CultureInfo.InvariantCulture)));
        columns.Add("Total");
        var rows = new List<TableRow>();
        foreach (var metric in context.Team.Metrics.Where(m => m.Source == MetricSource.Logged))
        {
            var cells = new List<string> { metric.DisplayName };
            decimal total = 0;
            foreach (var d in days)
            {
                var sum = entries.Where(e => e.Date == d && e.Metric == metric.Key).Sum(e => e.Value);
                total += sum;
                cells.Add(sum == 0 ? "·" : ConversationReplies.Number(sum));
            }
            cells.Add(ConversationReplies.Number(total));
            rows.Add(new TableRow(cells));
        }
        return new Table(columns, rows);
    }

    /// <summary>The logging form: one number input per logged statistic and an optional date.</summary>
    public static Form LoggingForm(Team team)
    {
        ArgumentNullException.ThrowIfNull(team);
        var fields = team.Metrics
            .Where(m => m.Source == MetricSource.Logged)
            .OrderBy(m => m.Phase ?? int.MaxValue)
            .Select(m => new FormField(m.Key, m.DisplayName, FormFieldKind.Number, 0, team.Settings.MaxDailyCount, "0"))
            .Append(new FormField(DateField, "Day (empty = today)", FormFieldKind.Date))
            .ToList();
        return new Form(FormId, "Log numbers", fields, "Log");
    }

    private static string DisplayName(IReadOnlyList<MetricDefinition> metrics, string key) =>
        metrics.FirstOrDefault(m => m.Key == key)?.DisplayName ?? key;
}

/// <summary><c>undo</c>: reverts the author's last change and says what it was.</summary>
public sealed class UndoHandler : ParsedChatCommand<UndoCommand>
{
    /// <inheritdoc />
    public override string Name => "undo";

    /// <inheritdoc />
    public override CommandDescription Describe() => new("logging", "Undo your last change (numbers, a deal, away).", ["undo"]);

    /// <inheritdoc />
    protected override Task<BotResponse> HandleAsync(UndoCommand command, CommandContext context, CancellationToken cancellationToken)
    {
        var last = context.Store.LastUndoable(context.Workspace.Id, context.Person.Id);
        if (last is null)
        {
            return Task.FromResult(BotResponse.Of(Reply.Text("There is nothing of yours to undo.", Tone.Muted)));
        }
        var undone = context.Store.Undo(context.Workspace.Id, last.Id, context.Now);
        if (undone is null)
        {
            return Task.FromResult(BotResponse.Of(Reply.Text("That change could not be undone (it is gone already). Nothing changed.", Tone.Warning)));
        }
        var text = $"Undone: {undone.Summary}.";
        return Task.FromResult(BotResponse.Of(new Reply(text,
        [
            new Paragraph(text, Tone.Good),
            new Actions([new ReplyAction("My week", "my week"), new ReplyAction("Undo the one before", "undo")]),
        ])));
    }
}

/// <summary><c>my week</c>: this week's entries per day and statistic, and deals won this week.</summary>
public sealed class MyWeekHandler : ParsedChatCommand<MyWeekCommand>
{
    /// <inheritdoc />
    public override string Name => "my-week";

    /// <inheritdoc />
    public override CommandDescription Describe() => new("logging", "See what you have logged this week.", ["my week"]);

    /// <inheritdoc />
    protected override Task<BotResponse> HandleAsync(MyWeekCommand command, CommandContext context, CancellationToken cancellationToken)
    {
        var monday = Weeks.MondayOf(context.Today);
        var table = LogNumbersCommand.WeekTable(context, context.Today);
        var won = context.Store.GetDeals(context.Workspace.Id, [context.Person.Id], monday)
            .Where(d => d.Outcome == DealOutcome.Won && d.CloseDate is { } c && c >= monday && c <= context.Today)
            .ToList();
        var blocks = new List<ReplyBlock> { new Heading($"Your week of {ConversationReplies.Day(monday)}"), table };
        if (won.Count > 0)
        {
            blocks.Add(new FactList(won.Select(d => new Fact($"Won {d.Name}", ConversationReplies.Money(d.Value, d.Currency), Tone.Good)).ToList()));
        }
        var anything = table.Rows.Any(r => r.Cells[^1] != "0") || won.Count > 0;
        if (!anything)
        {
            blocks.Add(new Paragraph("Nothing logged yet this week. Type \"booked 5 held 3\" or use the form.", Tone.Muted));
        }
        blocks.Add(LogNumbersCommand.LoggingForm(context.Team));
        return Task.FromResult(BotResponse.Of(new Reply($"Your week of {ConversationReplies.Day(monday)}", blocks)));
    }
}

/// <summary><c>away until 2026-12-20</c>: marks days away (left out of trends, no reminders); undoable.</summary>
public sealed class AwayHandler : ParsedChatCommand<AwayCommand>
{
    /// <inheritdoc />
    public override string Name => "away";

    /// <inheritdoc />
    public override CommandDescription Describe() => new("logging", "Mark yourself away: no reminders, and those weeks stay out of your trend.", ["away until 2026-12-20", "away from 2026-12-21 to 2027-01-06"]);

    /// <inheritdoc />
    protected override Task<BotResponse> HandleAsync(AwayCommand command, CommandContext context, CancellationToken cancellationToken)
    {
        var period = new AwayPeriod(command.From, command.To);
        var updated = context.Person with { Away = [.. context.Person.Away, period] };
        var summary = $"away from {Readers.Iso(command.From)} to {Readers.Iso(command.To)}";
        var result = context.Store.Apply(new ChangeSet(context.Workspace.Id, context.Person.Id, context.Message.SourceId, summary, context.Now, [], [], [updated], []));
        var text = $"You are away from {ConversationReplies.Day(command.From)} to {ConversationReplies.Day(command.To)}: no reminders, and those weeks stay out of your trend.";
        return Task.FromResult(BotResponse.Of(new Reply(text,
        [
            new Paragraph(text, Tone.Good),
            new Paragraph(result.Duplicate ? "(I had this message already; stored once.)" : "Type \"undo\" if that was a mistake.", Tone.Muted),
        ])));
    }
}
