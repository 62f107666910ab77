using System.Globalization;
using KpiBot.Domain;
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
        if (main is not null)
        {
            var series = Enumerable.Range(1, data.Weeks).Reverse().Select(w => (X: -w, Y: (double)data.TeamTotal(main, w))).ToList();
            var slope = NudgeStatistics.RelativeSlope(series);
            var fitSlope = NudgeStatistics.TheilSenSlope(series);
            var medianIntercept = Median(series.Select(p => p.Y - (fitSlope * p.X)));
            blocks.Add(new Chart(
                $"Team {main.DisplayName.ToLowerInvariant()} per week",
                ChartKind.Line,
                series.Select(p => WeekLabel(today.AddDays(7 * p.X))).ToList(),
                [
                    new ChartSeries(main.DisplayName, series.Select(p => (double?)p.Y).ToList()),
                    new ChartSeries("Trend", series.Select(p => (double?)Math.Round(medianIntercept + (fitSlope * p.X), 2)).ToList(), IsFit: true),
                ],
                "Week",
                main.DisplayName));
            blocks.Add(new Paragraph(
                $"Team {main.DisplayName.ToLowerInvariant()}: {FormatPercent(slope)} per week over the last {data.Weeks} complete weeks.",
                slope > team.Settings.Status.NormalAbove ? Tone.Good : slope <= team.Settings.Status.DangerAtOrBelow ? Tone.Attention : Tone.Warning));
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
        var main = MainMetric(team);
        var thresholds = team.Settings.Status;
        var result = new List<PersonNudgeState>();
        foreach (var person in data.Tracked)
        {
            if (main is null)
            {
                result.Add(new PersonNudgeState(person, "Not yet a statistic", "The team has no main statistic.", "Agree on a main statistic first.", Tone.Muted, false, null));
                continue;
            }
            var first = data.FirstActivity.GetValueOrDefault(person.Id);
            var points = new List<(int X, double Y)>();
            for (var w = data.Weeks; w >= 1; w--)
            {
                var monday = NudgeCalendar.MondayOf(today).AddDays(-7 * w);
                if (first is null || monday.AddDays(6) < first.Value || AwayMostOfWeek(person, monday))
                {
                    continue; // before their first logged day, or an away week: left out, not zero
                }
                points.Add((-w, (double)data.PersonTotal(person.Id, main, w)));
            }
            if (points.Count < 2)
            {
                result.Add(new PersonNudgeState(person, "Not yet a statistic", $"{points.Count} complete week(s) of numbers; a trend needs two.", "Help them log every day so a trend appears.", Tone.Muted, false, null));
                continue;
            }
            var slope = NudgeStatistics.RelativeSlope(points);
            var confidence = points.Count <= 5 ? " (low confidence)" : "";
            var why = $"{main.DisplayName} {FormatPercent(slope)} per week over {points.Count} weeks{confidence}.";
            var weakest = WeakestPhase(team, data, person.Id);
            if (slope <= thresholds.DangerAtOrBelow)
            {
                result.Add(new PersonNudgeState(person, "Danger", why, "Intervene now: daily check-in, joint calls and a pipeline review" + weakest + ".", Tone.Attention, true, slope));
            }
            else if (slope > thresholds.NormalAbove)
            {
                result.Add(new PersonNudgeState(person, "Normal", why, "Keep their freedom and reinforce what works.", Tone.Good, false, slope));
            }
            else
            {
                result.Add(new PersonNudgeState(person, "Crisis", why, "Structured support: a weekly one-to-one and an activity plan" + weakest + ".", Tone.Warning, true, slope));
            }
        }
        return result;
    }

    /// <summary>" for held → qualified (22 %)": the person's lowest phase conversion over the window, if any.</summary>
    private static string WeakestPhase(Team team, TeamData data, string personId)
    {
        var phases = team.Metrics.Where(m => m.Phase is not null && m.Unit == MetricUnit.Count).OrderBy(m => m.Phase).ToList();
        string? weakest = null;
        var lowest = double.MaxValue;
        for (var i = 1; i < phases.Count; i++)
        {
            var from = Enumerable.Range(1, data.Weeks).Sum(w => data.PersonTotal(personId, phases[i - 1], w));
            var to = Enumerable.Range(1, data.Weeks).Sum(w => data.PersonTotal(personId, phases[i], w));
            if (from <= 0)
            {
                continue;
            }
            var rate = (double)(to / from);
            if (rate < lowest)
            {
                lowest = rate;
                weakest = $" for {phases[i - 1].DisplayName.ToLowerInvariant()} → {phases[i].DisplayName.ToLowerInvariant()} ({rate.ToString("P0", CultureInfo.InvariantCulture)})";
            }
        }
        return weakest ?? "";
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
                (low, high) = NudgeStatistics.Wilson((double)Math.Min(count, denominator), (double)denominator);
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
        var from = monday.AddDays(-7 * weeks);
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

    private static bool AwayMostOfWeek(Person person, DateOnly monday) =>
        Enumerable.Range(0, 5).Count(d => person.IsAwayOn(monday.AddDays(d))) >= 3;

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

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return 0;
        }
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static int WeekNumber(DateOnly date) => ISOWeek.GetWeekOfYear(date.ToDateTime(TimeOnly.MinValue));

    private static string WeekLabel(DateOnly date) => "W" + WeekNumber(date).ToString("00", CultureInfo.InvariantCulture);

    private static string FormatPercent(double fraction) =>
        (fraction >= 0 ? "+" : "−") + Math.Abs(fraction * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    private static string Format(decimal value, MetricDefinition metric) =>
        metric.Unit == MetricUnit.Currency ? value.ToString("#,0", CultureInfo.InvariantCulture) : value.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>A team's people and numbers over the current week (index 0) and the complete weeks before it.</summary>
    private sealed class TeamData
    {
        private readonly Dictionary<(string Person, string Metric, int Week), decimal> _totals = [];
        private readonly DateOnly _monday;

        public TeamData(Team team, IReadOnlyList<Person> people, IReadOnlyList<DailyEntry> entries, IReadOnlyList<Deal> deals, DateOnly monday, int weeks)
        {
            _monday = monday;
            Weeks = weeks;
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
