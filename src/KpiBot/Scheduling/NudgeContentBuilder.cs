using System.Globalization;
using KpiBot.Domain;
using KpiBot.Kpis;
using KpiBot.Replies;
using KpiBot.Storage;

namespace KpiBot.Scheduling;

/// <summary>A person's state as the manager digest shows it.</summary>
/// <param name="State">"Normal", "Crisis", "Danger" or "Not yet a statistic".</param>
/// <param name="Why">The numbers behind the state ("−12.4 %/week over 8 weeks (low confidence)").</param>
/// <param name="Approach">The suggested approach for the state.</param>
/// <param name="NeedsCoaching">True for Crisis and Danger.</param>
public sealed record PersonNudgeState(Person Person, string State, string Why, string Approach, Tone Tone, bool NeedsCoaching, double? RelativeSlope);

/// <summary>
/// Builds the neutral replies of the weekly nudge (team channel), the manager digest (private) and the
/// personal reminder. Reads through <see cref="IKpiStore"/>; "today" is the local date in the team's zone,
/// passed in, never read from a clock.
/// </summary>
public sealed class NudgeContentBuilder
{
    private readonly IKpiStore _store;

    /// <summary>Reads people, entries and deals from <paramref name="store"/>.</summary>
    public NudgeContentBuilder(IKpiStore store) => _store = store ?? throw new ArgumentNullException(nameof(store));

    /// <summary>
    /// The team channel's nudge: this week's funnel against the previous weeks, the team's main-statistic
    /// trend, who has not logged this week (mentioned) and a button to log. Everyone in the channel sees it,
    /// so it names no individual's state.
    /// </summary>
    public Reply TeamNudge(Team team, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(team);
        var data = Load(team, today);
        var week = NudgeCalendar.IsoWeekOf(today);
        var blocks = new List<ReplyBlock>
        {
            new Heading($"{team.Name}: numbers for week {WeekNumber(today)}"),
            new Funnel("This week so far", FunnelSteps(team, data, weekIndex: 0), $"Week {week}, up to {today:ddd d MMM}."),
            ComparisonTable(team, data),
        };
        var main = MainMetric(team);
        if (main is not null && data.Tracked.Count > 0)
        {
            // The team's main statistic summed over everyone, classified by the shared KPI engine (complete weeks only).
            var status = Engine(team, data, today).Status;
            var weeks = status.Weeks;
            var slope = status.SlopePerWeek ?? 0;
            var intercept = status.InterceptAtFirstWeek ?? 0;
            blocks.Add(new Chart(
                $"Team {main.DisplayName.ToLowerInvariant()} per week",
                ChartKind.Line,
                weeks.Select(w => "W" + w.Week[^2..]).ToList(),
                [
                    new ChartSeries(main.DisplayName, weeks.Select(w => w.Value).ToList()),
                    new ChartSeries("Trend", weeks.Select((w, i) => status.SlopePerWeek is null ? null : (double?)Math.Round(intercept + (slope * i), 2)).ToList(), IsFit: true),
                ],
                "Week",
                main.DisplayName));
            blocks.Add(status.RelativeSlopePerWeek is { } relative
                ? new Paragraph(
                    $"Team {main.DisplayName.ToLowerInvariant()}: {FormatPercent(relative)} per week over the last {status.Points} complete weeks.",
                    relative > team.Settings.Status.NormalAbove ? Tone.Good : relative <= team.Settings.Status.DangerAtOrBelow ? Tone.Attention : Tone.Warning)
                : new Paragraph($"Team {main.DisplayName.ToLowerInvariant()}: not yet a trend. {status.Explanation}", Tone.Muted));
        }

        var missing = data.Tracked.Where(p => !data.LoggedThisWeek.Contains(p.Id) && !AwayAllWeekSoFar(p, today)).ToList();
        if (missing.Count == 0)
        {
            blocks.Add(new Paragraph("Everyone has logged this week. Thank you!", Tone.Good));
        }
        else
        {
            var mentionable = missing.Where(p => !string.IsNullOrEmpty(p.PlatformUserId)).ToList();
            if (mentionable.Count > 0)
            {
                blocks.Add(new Mentions("Not logged yet this week:", mentionable.Select(p => new MentionedPerson(p.PlatformUserId!, p.DisplayName)).ToList()));
            }
            var unlinked = missing.Where(p => string.IsNullOrEmpty(p.PlatformUserId)).Select(p => p.DisplayName).ToList();
            if (unlinked.Count > 0)
            {
                blocks.Add(new Paragraph($"Also not logged yet: {string.Join(", ", unlinked)}.", Tone.Muted));
            }
        }
        blocks.Add(new Actions([new ReplyAction("Log now", "log", Primary: true), new ReplyAction("My week", "my week")]));
        var summary = missing.Count == 0
            ? $"{team.Name}: week {WeekNumber(today)} numbers are in. Everyone has logged."
            : $"{team.Name}: week {WeekNumber(today)} numbers. {missing.Count} of {data.Tracked.Count} have not logged yet.";
        return new Reply(summary, blocks, ReplyVisibility.Conversation);
    }

    /// <summary>Each tracked person's state and why, with the approach the state calls for.</summary>
    public IReadOnlyList<PersonNudgeState> PersonStates(Team team, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(team);
        return PersonStates(team, Load(team, today), today);
    }

    /// <summary>
    /// A manager's private digest: each person's state and the numbers behind it, who needs coaching and the
    /// suggested approach for their state.
    /// </summary>
    public Reply ManagerDigest(Team team, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(team);
        var data = Load(team, today);
        var states = PersonStates(team, data, today);
        var blocks = new List<ReplyBlock>
        {
            new Heading($"{team.Name}: manager digest, week {WeekNumber(today)}"),
            new Paragraph("Only you see this. States come from each person's main-statistic trend over the last complete weeks.", Tone.Muted),
            new Table(["Person", "State", "Why", "Approach"], states.Select(s => new TableRow([s.Person.DisplayName, s.State, s.Why, s.Approach], s.Tone)).ToList()),
        };
        var coaching = states.Where(s => s.NeedsCoaching).OrderBy(s => s.RelativeSlope ?? 0).ToList();
        blocks.Add(coaching.Count == 0
            ? new Paragraph("Nobody needs coaching this week.", Tone.Good)
            : new CoachingList("Who needs coaching", coaching.Select(s => new CoachingItem($"{s.Person.DisplayName}: {s.Approach}", $"{s.State}: {s.Why}", s.Tone)).ToList()));
        var notLogged = data.Tracked.Where(p => !data.LoggedThisWeek.Contains(p.Id) && !AwayAllWeekSoFar(p, today)).Select(p => p.DisplayName).ToList();
        if (notLogged.Count > 0)
        {
            blocks.Add(new Paragraph($"Not logged yet this week: {string.Join(", ", notLogged)}.", Tone.Muted));
        }
        blocks.Add(new Actions([new ReplyAction("Team status", "team status", Primary: true), new ReplyAction("Who needs coaching", "who needs coaching")]));
        var summary = coaching.Count == 0
            ? $"{team.Name} digest: nobody needs coaching this week."
            : $"{team.Name} digest: {coaching.Count} need coaching ({string.Join(", ", coaching.Select(s => s.Person.DisplayName))}).";
        return new Reply(summary, blocks, ReplyVisibility.Private);
    }

    /// <summary>The gentle personal reminder with its three buttons (log now, snooze a week, stop reminders).</summary>
    public static Reply Reminder(Person person, DateOnly? lastLogged, int workingDaysSilent)
    {
        ArgumentNullException.ThrowIfNull(person);
        var firstName = person.DisplayName.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? person.DisplayName;
        var since = lastLogged is { } date
            ? $"Your last numbers are from {date.ToString("dddd d MMMM", CultureInfo.InvariantCulture)}, {workingDaysSilent} working days ago."
            : "You have not logged any numbers yet.";
        var text = $"Hi {firstName}, a gentle nudge: {since} Logging takes ten seconds and keeps your trend honest.";
        return new Reply(
            $"Hi {firstName}, time to log your numbers?",
            [
                new Paragraph(text),
                new Actions(
                [
                    new ReplyAction("Log now", "log", Primary: true),
                    new ReplyAction("Snooze a week", "remind snooze"),
                    new ReplyAction("Stop reminders", "reminders off"),
                ]),
            ],
            ReplyVisibility.Private);
    }

    /// <summary>
    /// The managers who get the digest: people of the team with the Manager or Admin role, plus anyone named as
    /// a team member's manager.
    /// </summary>
    public IReadOnlyList<Person> DigestRecipients(Team team)
    {
        ArgumentNullException.ThrowIfNull(team);
        var people = _store.ListPeople(team.WorkspaceId, team.Id);
        var named = people.Select(p => p.ManagerId).Where(id => id is not null).ToHashSet(StringComparer.Ordinal);
        var recipients = people.Where(p => p.Role is Role.Manager or Role.Admin || named.Contains(p.Id)).ToList();
        foreach (var id in named)
        {
            if (recipients.All(r => r.Id != id) && _store.FindPerson(team.WorkspaceId, id!) is { } outside)
            {
                recipients.Add(outside);
            }
        }
        return recipients;
    }

    private IReadOnlyList<PersonNudgeState> PersonStates(Team team, TeamData data, DateOnly today)
    {
        var report = Engine(team, data, today);
        var people = data.Tracked.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var mainName = MainMetric(team)?.DisplayName ?? "Main statistic";
        var result = new List<PersonNudgeState>();
        foreach (var line in report.People)
        {
            var person = people[line.PersonId];
            var weakest = line.Bottleneck is null ? "" : $" for {line.Bottleneck}";
            var why = line.RelativeSlopePerWeek is { } slope
                ? $"{mainName} {FormatPercent(slope)} per week over {line.Points} weeks{(line.LowConfidence ? " (low confidence)" : "")}."
                : line.State == StatusState.NotYetAStatistic
                    ? $"{line.Points} complete week(s) of numbers; a trend needs two."
                    : $"No {mainName.ToLowerInvariant()} in {line.Points} weeks.";
            result.Add(line.State switch
            {
                StatusState.Danger => new PersonNudgeState(person, "Danger", why, $"Intervene now: daily check-in, joint calls and a pipeline review{weakest}.", Tone.Attention, true, line.RelativeSlopePerWeek),
                StatusState.Crisis => new PersonNudgeState(person, "Crisis", why, $"Structured support: a weekly one-to-one and an activity plan{weakest}.", Tone.Warning, true, line.RelativeSlopePerWeek),
                StatusState.Normal => new PersonNudgeState(person, "Normal", why, "Keep their freedom and reinforce what works.", Tone.Good, false, line.RelativeSlopePerWeek),
                _ => new PersonNudgeState(person, "Not yet a statistic", why, "Help them log every day so a trend appears.", Tone.Muted, false, null),
            });
        }
        return result;
    }

    /// <summary>The shared KPI engine's team report over the tracked people (the same numbers the chat commands show).</summary>
    private TeamKpiReport Engine(Team team, TeamData data, DateOnly today)
    {
        var firstDays = _store.FirstActivityDates(team.WorkspaceId, data.Tracked.Select(p => p.Id).ToArray());
        return KpiEngine.ComputeTeam(
            team,
            data.Tracked.Select(p => new PersonActivity(p, data.EntriesOf(p.Id), data.DealsOf(p.Id), firstDays[p.Id])).ToList(),
            today);
    }

    private static IReadOnlyList<FunnelStep> FunnelSteps(Team team, TeamData data, int weekIndex)
    {
        var phases = team.Metrics.Where(m => m.Phase is not null && m.Unit == MetricUnit.Count).OrderBy(m => m.Phase).ToList();
        var steps = new List<FunnelStep>();
        decimal? previous = null;
        foreach (var phase in phases)
        {
            var count = data.TeamTotal(phase, weekIndex);
            double? rate = null, low = null, high = null;
            var flagged = false;
            if (previous is { } denominator && denominator > 0)
            {
                rate = (double)(count / denominator);
                flagged = count > denominator;
                var interval = Statistics.Wilson.Interval((double)Math.Min(count, denominator), (double)denominator);
                (low, high) = (interval?.Low, interval?.High);
            }
            steps.Add(new FunnelStep(phase.DisplayName, count, rate, low, high, IsBottleneck: false, Flagged: flagged));
            previous = count;
        }
        return steps;
    }

    private static Table ComparisonTable(Team team, TeamData data)
    {
        var shown = team.Metrics.Where(m => m.Source != MetricSource.Derived).OrderBy(m => m.Kind).ThenBy(m => m.Phase ?? -1).ToList();
        var rows = new List<TableRow>();
        foreach (var metric in shown)
        {
            var thisWeek = data.TeamTotal(metric, 0);
            var lastWeek = data.TeamTotal(metric, 1);
            var average = Enumerable.Range(1, data.Weeks).Average(w => data.TeamTotal(metric, w));
            rows.Add(new TableRow([metric.DisplayName, Format(thisWeek, metric), Format(lastWeek, metric), Format(average, metric)]));
        }
        return new Table(["Statistic", "This week so far", "Last week", $"Weekly average, last {data.Weeks} weeks"], rows);
    }

    private TeamData Load(Team team, DateOnly today)
    {
        var weeks = Math.Clamp(team.Settings.TrendWeeks, 2, 52);
        var monday = NudgeCalendar.MondayOf(today);
        // Enough history for the engine's trend and conversion windows, plus a margin for its first-logged-day rule.
        var from = monday.AddDays(-7 * (Math.Max(weeks, team.Settings.ConversionWeeks) + 4));
        var people = _store.ListPeople(team.WorkspaceId, team.Id);
        var ids = people.Select(p => p.Id).ToList();
        var entries = ids.Count == 0 ? [] : _store.GetEntries(team.WorkspaceId, ids, from, today);
        var deals = ids.Count == 0 ? [] : _store.GetDeals(team.WorkspaceId, ids, from);
        return new TeamData(team, people, entries, deals, monday, weeks);
    }

    private static MetricDefinition? MainMetric(Team team) =>
        team.Metrics.FirstOrDefault(m => m.Kind == MetricKind.Main && m.Unit == MetricUnit.Currency)
        ?? team.Metrics.FirstOrDefault(m => m.Kind == MetricKind.Main);

    private static bool AwayAllWeekSoFar(Person person, DateOnly today)
    {
        var workingDays = WorkingDaysOfWeekThrough(today).ToList();
        return workingDays.Count > 0 && workingDays.All(person.IsAwayOn);
    }

    private static IEnumerable<DateOnly> WorkingDaysOfWeekThrough(DateOnly today)
    {
        for (var day = NudgeCalendar.MondayOf(today); day <= today; day = day.AddDays(1))
        {
            if (!NudgeCalendar.IsWeekend(day))
            {
                yield return day;
            }
        }
    }

    private static int WeekNumber(DateOnly date) => ISOWeek.GetWeekOfYear(date.ToDateTime(TimeOnly.MinValue));

    private static string FormatPercent(double fraction) =>
        (fraction >= 0 ? "+" : "−") + Math.Abs(fraction * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    private static string Format(decimal value, MetricDefinition metric) =>
        metric.Unit == MetricUnit.Currency ? value.ToString("#,0", CultureInfo.InvariantCulture) : value.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>A team's people and numbers over the current week (index 0) and the complete weeks before it.</summary>
    private sealed class TeamData
    {
        private readonly Dictionary<(string Person, string Metric, int Week), decimal> _totals = [];
        private readonly DateOnly _monday;
        private readonly ILookup<string, DailyEntry> _entries;
        private readonly ILookup<string, Deal> _deals;

        public TeamData(Team team, IReadOnlyList<Person> people, IReadOnlyList<DailyEntry> entries, IReadOnlyList<Deal> deals, DateOnly monday, int weeks)
        {
            _monday = monday;
            Weeks = weeks;
            _entries = entries.ToLookup(e => e.PersonId, StringComparer.Ordinal);
            _deals = deals.ToLookup(d => d.OwnerId, StringComparer.Ordinal);
            foreach (var entry in entries)
            {
                if (WeekIndex(entry.Date) is { } w)
                {
                    Add(entry.PersonId, entry.Metric, w, entry.Value);
                    if (w == 0)
                    {
                        LoggedThisWeek.Add(entry.PersonId);
                    }
                }
                Earliest(entry.PersonId, entry.Date);
            }
            var wonKey = team.Metrics.FirstOrDefault(m => m.Source == MetricSource.Deals && m.Unit == MetricUnit.Count)?.Key;
            var valueKey = team.Metrics.FirstOrDefault(m => m.Source == MetricSource.Deals && m.Unit == MetricUnit.Currency)?.Key;
            foreach (var deal in deals)
            {
                Earliest(deal.OwnerId, deal.StartDate);
                if (deal.Outcome != DealOutcome.Won || deal.CloseDate is not { } closed || WeekIndex(closed) is not { } w)
                {
                    continue;
                }
                if (wonKey is not null)
                {
                    Add(deal.OwnerId, wonKey, w, 1);
                }
                if (valueKey is not null)
                {
                    Add(deal.OwnerId, valueKey, w, deal.Value);
                }
            }
            // Tracked: the salespeople, plus anyone else who logs numbers or owns deals.
            Tracked = people.Where(p => p.Role == Role.Rep || FirstActivity.ContainsKey(p.Id)).ToList();
        }

        public int Weeks { get; }

        public IReadOnlyList<DailyEntry> EntriesOf(string personId) => _entries[personId].ToList();

        public IReadOnlyList<Deal> DealsOf(string personId) => _deals[personId].ToList();

        public IReadOnlyList<Person> Tracked { get; }

        public HashSet<string> LoggedThisWeek { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, DateOnly?> FirstActivity { get; } = new(StringComparer.Ordinal);

        public decimal PersonTotal(string personId, MetricDefinition metric, int week) => _totals.GetValueOrDefault((personId, metric.Key, week));

        public decimal TeamTotal(MetricDefinition metric, int week) => Tracked.Sum(p => PersonTotal(p.Id, metric, week));

        private int? WeekIndex(DateOnly date)
        {
            var days = _monday.DayNumber - NudgeCalendar.MondayOf(date).DayNumber;
            var index = days / 7;
            return days < 0 || index > Weeks ? null : index;
        }

        private void Add(string person, string metric, int week, decimal value) =>
            _totals[(person, metric, week)] = _totals.GetValueOrDefault((person, metric, week)) + value;

        private void Earliest(string person, DateOnly date)
        {
            if (!FirstActivity.TryGetValue(person, out var current) || current is null || date < current)
            {
                FirstActivity[person] = date;
            }
        }
    }
}
