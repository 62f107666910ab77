namespace KpiBot.Domain;

/// <summary>One reason a daily entry cannot be stored: which field, what was given, and what would work.</summary>
/// <param name="Field">The field that was wrong (<c>metric</c>, <c>value</c>, <c>date</c>, <c>person</c>).</param>
/// <param name="Given">What the caller gave, as text.</param>
/// <param name="Message">A sentence for the user: what was wrong and what would work.</param>
public sealed record EntryProblem(string Field, string Given, string Message);

/// <summary>Thrown when a change set holds entries that <see cref="EntryRules"/> refuses; nothing was stored.</summary>
public sealed class InvalidEntryException : ArgumentException
{
    /// <summary>Creates the exception from the problems found.</summary>
    public InvalidEntryException(IReadOnlyList<EntryProblem> problems)
        : base(string.Join(" ", (problems ?? throw new ArgumentNullException(nameof(problems))).Select(p => p.Message)))
    {
        Problems = problems;
    }

    /// <summary>Every problem found (at least one).</summary>
    public IReadOnlyList<EntryProblem> Problems { get; }
}

/// <summary>
/// The rules a logged number must pass before it is stored. Pure: "today" is a parameter, so the
/// conversation layer checks a message before it builds a <see cref="ChangeSet"/>, and the store
/// checks again when it applies one (the store is the last line, not the only one).
/// </summary>
public static class EntryRules
{
    /// <summary>The metric keys a person of <paramref name="team"/> may log as daily entries.</summary>
    public static IReadOnlyList<string> LoggableMetrics(Team team)
    {
        ArgumentNullException.ThrowIfNull(team);
        return team.Metrics.Where(m => m.Source == MetricSource.Logged).Select(m => m.Key).ToList();
    }

    /// <summary>
    /// Checks one number: the metric must be one of the team's logged metrics, the value a whole
    /// count between 0 and <see cref="TeamSettings.MaxDailyCount"/>, the date not after <paramref name="today"/>.
    /// Returns every problem found; an empty list means the entry may be stored.
    /// </summary>
    /// <param name="today">The person's local date now (the caller converts the clock to the person's zone).</param>
    public static IReadOnlyList<EntryProblem> Check(string metric, decimal value, DateOnly date, Team team, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(team);
        var problems = new List<EntryProblem>();
        var loggable = LoggableMetrics(team);
        var definition = team.Metrics.FirstOrDefault(m => string.Equals(m.Key, metric, StringComparison.Ordinal));
        var snapshotStage = PipelineSnapshots.StageOf(metric);
        if (snapshotStage is not null)
        {
            CheckSnapshot(snapshotStage, value, team, problems);
        }
        else if (definition is null)
        {
            problems.Add(new EntryProblem("metric", metric ?? "",
                $"'{metric}' is not a statistic of team {team.Name}. Statistics you can log: {string.Join(", ", loggable)}."));
        }
        else if (definition.Source != MetricSource.Logged)
        {
            var how = definition.Source == MetricSource.Deals
                ? "it is counted from deals (for example `won Acme 120k`)"
                : "KpiBot computes it from the other statistics";
            problems.Add(new EntryProblem("metric", metric,
                $"'{metric}' cannot be logged as a number: {how}. Statistics you can log: {string.Join(", ", loggable)}."));
        }

        var max = team.Settings.MaxDailyCount;
        if (snapshotStage is not null)
        {
            // Checked above: a snapshot is an open count, not a day's count.
        }
        else if (value < 0)
        {
            problems.Add(new EntryProblem("value", Format(value),
                $"{Format(value)} is negative; a count is 0 or more (to take a number back, use `undo`)."));
        }
        else if (value > max)
        {
            problems.Add(new EntryProblem("value", Format(value),
                $"{Format(value)} is more than {max} for one day, which looks like a typo; log at most {max} per statistic and day."));
        }
        else if (definition is { Unit: MetricUnit.Count } && value != decimal.Truncate(value))
        {
            problems.Add(new EntryProblem("value", Format(value),
                $"{Format(value)} is not a whole number; '{metric}' counts things, so log a whole number such as {decimal.Truncate(value)}."));
        }

        if (date > today)
        {
            problems.Add(new EntryProblem("date", date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                $"{date:yyyy-MM-dd} is in the future (today is {today:yyyy-MM-dd}); log numbers for today or an earlier day."));
        }
        return problems;
    }

    /// <summary>The largest open count of one stage a snapshot may give (more looks like a typo, or a CRM export).</summary>
    public const int MaxSnapshotCount = 10_000;

    private static void CheckSnapshot(string stageKey, decimal value, Team team, List<EntryProblem> problems)
    {
        if (!team.Stages.Any(s => string.Equals(s.Key, stageKey, StringComparison.Ordinal)))
        {
            problems.Add(new EntryProblem("metric", PipelineSnapshots.MetricFor(stageKey),
                $"'{stageKey}' is not a pipeline stage of team {team.Name}. Stages: {string.Join(", ", team.Stages.OrderBy(s => s.Order).Select(s => s.Key))}."));
        }
        if (value < 0)
        {
            problems.Add(new EntryProblem("value", Format(value), $"{Format(value)} is negative; an open count is 0 or more."));
        }
        else if (value > MaxSnapshotCount)
        {
            problems.Add(new EntryProblem("value", Format(value),
                $"{Format(value)} open in one stage looks like a typo; a snapshot gives at most {MaxSnapshotCount} per stage."));
        }
        else if (value != decimal.Truncate(value))
        {
            problems.Add(new EntryProblem("value", Format(value),
                $"{Format(value)} is not a whole number; a snapshot counts open leads, so give a whole number such as {decimal.Truncate(value)}."));
        }
    }

    /// <summary>Checks a <see cref="DailyEntry"/>; see <see cref="Check(string, decimal, DateOnly, Team, DateOnly)"/>.</summary>
    public static IReadOnlyList<EntryProblem> Check(DailyEntry entry, Team team, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Check(entry.Metric, entry.Value, entry.Date, team, today);
    }

    private static string Format(decimal value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
