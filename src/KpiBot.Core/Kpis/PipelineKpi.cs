using KpiBot.Domain;
using KpiBot.Statistics;

namespace KpiBot.Kpis;

/// <summary>
/// KPI 2: open leads per stage at the end of each complete week, with a Theil–Sen trend per stage. A stage is
/// "shrinking" when its robust slope is below zero. The counts come from deals (each deal's stage taken from its
/// history) or, for someone who tracks no deals, from their logged pipeline snapshots (<see cref="PipelineSnapshots"/>):
/// the latest snapshot of a stage on or before a week's Sunday is the stage's count that week.
/// </summary>
public static class PipelineKpi
{
    /// <summary>The pipeline of <paramref name="deals"/> over <paramref name="weeks"/> for the configured <paramref name="stages"/>.</summary>
    public static PipelineReport Compute(IReadOnlyList<StageDefinition> stages, IEnumerable<Deal> deals, IReadOnlyList<IsoWeek> weeks)
    {
        ArgumentNullException.ThrowIfNull(stages);
        ArgumentNullException.ThrowIfNull(deals);
        ArgumentNullException.ThrowIfNull(weeks);
        var ordered = Ordered(stages);
        var counts = new int[ordered.Length, weeks.Count];
        var openValue = AddDealCounts(Index(ordered), deals, weeks, counts);
        return Report(ordered, weeks, counts, 0, openValue, PipelineSource.Deals);
    }

    /// <summary>The pipeline over the team's trend window as of <paramref name="asOf"/>, from deals only.</summary>
    public static PipelineReport Compute(Team team, IEnumerable<Deal> deals, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(team);
        return Compute(team.Stages, deals, IsoWeeks.LastCompleteWeeks(asOf, StatusKpi.TrendWeeks(team.Settings)));
    }

    /// <summary>
    /// One person's pipeline over the team's trend window as of <paramref name="asOf"/>: from their deals, or from their
    /// logged snapshots when they have snapshots and no deal open at any week's end of the window.
    /// </summary>
    public static PipelineReport Compute(Team team, PersonActivity activity, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(team);
        ArgumentNullException.ThrowIfNull(activity);
        return Compute(team.Stages, [activity], IsoWeeks.LastCompleteWeeks(asOf, StatusKpi.TrendWeeks(team.Settings)));
    }

    /// <summary>
    /// The pipeline of several people added up week by week, each counted from their deals or their snapshots (see
    /// <see cref="Compute(Team, PersonActivity, DateOnly)"/>). The trend of a stage starts with the first week anyone's
    /// count is known: a week before someone's first snapshot is not a week with an empty pipeline.
    /// </summary>
    public static PipelineReport Compute(IReadOnlyList<StageDefinition> stages, IReadOnlyList<PersonActivity> people, IReadOnlyList<IsoWeek> weeks)
    {
        ArgumentNullException.ThrowIfNull(stages);
        ArgumentNullException.ThrowIfNull(people);
        ArgumentNullException.ThrowIfNull(weeks);
        var ordered = Ordered(stages);
        var index = Index(ordered);
        var counts = new int[ordered.Length, weeks.Count];
        decimal openValue = 0;
        var fromDeals = 0;
        var fromSnapshots = 0;
        var firstKnownWeek = weeks.Count;
        foreach (var person in people)
        {
            if (UsesSnapshots(person, weeks) is { } snapshots)
            {
                fromSnapshots++;
                firstKnownWeek = Math.Min(firstKnownWeek, AddSnapshotCounts(index, snapshots, weeks, counts));
            }
            else
            {
                fromDeals++;
                firstKnownWeek = 0;
                openValue += AddDealCounts(index, person.Deals, weeks, counts);
            }
        }
        var source = fromSnapshots == 0 ? PipelineSource.Deals : fromDeals == 0 ? PipelineSource.Snapshots : PipelineSource.Mixed;
        return Report(ordered, weeks, counts, Math.Min(firstKnownWeek, weeks.Count), openValue, source);
    }

    /// <summary>The person's snapshots up to the window's end, when they are the person's pipeline; otherwise null (deals).</summary>
    private static List<DailyEntry>? UsesSnapshots(PersonActivity person, IReadOnlyList<IsoWeek> weeks)
    {
        if (weeks.Count == 0)
        {
            return null;
        }
        var lastSunday = weeks[^1].Sunday;
        List<DailyEntry>? snapshots = null;
        foreach (var entry in person.Entries)
        {
            if (entry.Date <= lastSunday && PipelineSnapshots.IsSnapshot(entry))
            {
                (snapshots ??= []).Add(entry);
            }
        }
        if (snapshots is null)
        {
            return null;
        }
        foreach (var deal in person.Deals)
        {
            foreach (var week in weeks)
            {
                if (deal.IsOpenOn(week.Sunday))
                {
                    return null;
                }
            }
        }
        return snapshots;
    }

    /// <summary>Adds each week's latest snapshot per stage to <paramref name="counts"/>; returns the first week with a snapshot.</summary>
    private static int AddSnapshotCounts(Dictionary<string, int> index, List<DailyEntry> snapshots, IReadOnlyList<IsoWeek> weeks, int[,] counts)
    {
        // Oldest first; on one day the later recorded snapshot is the correction.
        snapshots.Sort(static (a, b) => a.Date != b.Date ? a.Date.CompareTo(b.Date) : a.RecordedAt.CompareTo(b.RecordedAt));
        var level = new int?[index.Count];
        var next = 0;
        var first = weeks.Count;
        for (var w = 0; w < weeks.Count; w++)
        {
            var sunday = weeks[w].Sunday;
            for (; next < snapshots.Count && snapshots[next].Date <= sunday; next++)
            {
                if (PipelineSnapshots.StageOf(snapshots[next].Metric) is { } stage && index.TryGetValue(stage, out var s))
                {
                    level[s] = (int)snapshots[next].Value;
                }
            }
            var known = false;
            for (var s = 0; s < level.Length; s++)
            {
                if (level[s] is { } value)
                {
                    counts[s, w] += value;
                    known = true;
                }
            }
            if (known && first == weeks.Count)
            {
                first = w;
            }
        }
        return first;
    }

    /// <summary>Adds each week's open deals per stage to <paramref name="counts"/>; returns the value open at the last week's end.</summary>
    private static decimal AddDealCounts(Dictionary<string, int> index, IEnumerable<Deal> deals, IReadOnlyList<IsoWeek> weeks, int[,] counts)
    {
        decimal openValue = 0;
        if (weeks.Count == 0)
        {
            return 0;
        }
        var lastSunday = weeks[^1].Sunday;
        var firstSunday = weeks[0].Sunday;
        foreach (var deal in deals)
        {
            // Most of two years of deals started after the window or closed before it: skip them cheaply.
            if (deal.StartDate > lastSunday || (deal.Outcome != DealOutcome.Open && deal.CloseDate is { } closed && closed <= firstSunday))
            {
                continue;
            }

            for (var w = 0; w < weeks.Count; w++)
            {
                var sunday = weeks[w].Sunday;
                if (!deal.IsOpenOn(sunday))
                {
                    continue;
                }

                if (deal.StageOn(sunday) is { } stage && index.TryGetValue(stage, out var s))
                {
                    counts[s, w]++;
                }
            }

            if (deal.IsOpenOn(lastSunday))
            {
                openValue += deal.Value;
            }
        }
        return openValue;
    }

    private static PipelineReport Report(StageDefinition[] ordered, IReadOnlyList<IsoWeek> weeks, int[,] counts, int firstKnownWeek, decimal openValue, PipelineSource source)
    {
        var rows = new StagePipeline[ordered.Length];
        for (var s = 0; s < ordered.Length; s++)
        {
            var series = new int[weeks.Count];
            for (var w = 0; w < weeks.Count; w++)
            {
                series[w] = counts[s, w];
            }
            var known = new double[Math.Max(0, weeks.Count - firstKnownWeek)];
            for (var w = firstKnownWeek; w < weeks.Count; w++)
            {
                known[w - firstKnownWeek] = counts[s, w];
            }

            var slope = TheilSen.Fit(known)?.Slope;
            rows[s] = new StagePipeline(ordered[s].Key, ordered[s].DisplayName, ordered[s].Order, series, slope, slope < 0);
        }

        return new PipelineReport([.. weeks.Select(w => w.Label)], rows, rows.Length > 0 && rows[0].Shrinking, openValue, source);
    }

    private static StageDefinition[] Ordered(IReadOnlyList<StageDefinition> stages) => stages.OrderBy(s => s.Order).ToArray();

    private static Dictionary<string, int> Index(StageDefinition[] ordered)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var s = 0; s < ordered.Length; s++)
        {
            index[ordered[s].Key] = s;
        }
        return index;
    }
}
