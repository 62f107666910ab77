using KpiBot.Domain;
using KpiBot.Statistics;

namespace KpiBot.Kpis;

/// <summary>
/// KPI 1: conversion per phase. rate(k→k+1) = Σ phase k+1 ÷ Σ phase k over the window's counted weeks, with a 95 %
/// Wilson interval. The won phase counts deals won (by close date), never logged entries, so nothing is counted twice.
/// </summary>
public static class ConversionKpi
{
    /// <summary>The team's phase statistics ordered by phase (booked 0, held 1, qualified 2, proposals 3, won 4).</summary>
    public static IReadOnlyList<MetricDefinition> PhaseMetrics(IReadOnlyList<MetricDefinition> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return [.. metrics.Where(m => m.Phase is not null).OrderBy(m => m.Phase)];
    }

    /// <summary>The person's totals per phase over the weeks of <paramref name="window"/> that count for them.</summary>
    public static IReadOnlyList<PhaseCount> CountPhases(IReadOnlyList<MetricDefinition> metrics, PersonActivity activity, IReadOnlyList<IsoWeek> window)
    {
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentNullException.ThrowIfNull(window);
        return CountPhases(metrics, activity, window, window.Count > 0 ? ActivityCalendar.StartFor(activity, window[0]) : null);
    }

    /// <summary>As <see cref="CountPhases(IReadOnlyList{MetricDefinition}, PersonActivity, IReadOnlyList{IsoWeek})"/> with the first logged day known.</summary>
    internal static IReadOnlyList<PhaseCount> CountPhases(IReadOnlyList<MetricDefinition> metrics, PersonActivity activity, IReadOnlyList<IsoWeek> window, DateOnly? firstLoggedDay)
    {
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentNullException.ThrowIfNull(window);
        var phases = PhaseMetrics(metrics);
        var exclusions = ActivityCalendar.Exclusions(activity.Person, firstLoggedDay, window);
        var sums = new decimal[phases.Count];
        // One pass over the entries for all logged phases (a person has thousands of entries over two years).
        var entries = activity.Entries;
        for (var e = 0; e < entries.Count; e++)
        {
            var entry = entries[e];
            var week = ActivityCalendar.IndexOf(window, entry.Date);
            if (week < 0 || exclusions[week] is not null)
            {
                continue;
            }

            for (var p = 0; p < phases.Count; p++)
            {
                if (phases[p].Source == MetricSource.Logged && string.Equals(phases[p].Key, entry.Metric, StringComparison.Ordinal))
                {
                    sums[p] += entry.Value;
                    break;
                }
            }
        }

        // Deal phases (won) count deals won by close date, never entries: a funnel counts deals, not money.
        for (var p = 0; p < phases.Count; p++)
        {
            if (phases[p].Source == MetricSource.Logged)
            {
                continue;
            }

            var deals = activity.Deals;
            for (var d = 0; d < deals.Count; d++)
            {
                if (deals[d].Outcome == DealOutcome.Won && deals[d].CloseDate is { } close)
                {
                    var week = ActivityCalendar.IndexOf(window, close);
                    if (week >= 0 && exclusions[week] is null)
                    {
                        sums[p]++;
                    }
                }
            }
        }

        var result = new PhaseCount[phases.Count];
        for (var p = 0; p < phases.Count; p++)
        {
            result[p] = new PhaseCount(phases[p].Key, phases[p].DisplayName, phases[p].Phase!.Value, sums[p]);
        }

        return result;
    }

    /// <summary>Adds up several people's phase totals (the team's funnel).</summary>
    public static IReadOnlyList<PhaseCount> SumPhases(IReadOnlyList<MetricDefinition> metrics, IEnumerable<IReadOnlyList<PhaseCount>> people)
    {
        ArgumentNullException.ThrowIfNull(people);
        var phases = PhaseMetrics(metrics);
        var sums = new decimal[phases.Count];
        foreach (var counts in people)
        {
            for (var p = 0; p < phases.Count && p < counts.Count; p++)
            {
                sums[p] += counts[p].Count;
            }
        }

        return [.. phases.Select((m, p) => new PhaseCount(m.Key, m.DisplayName, m.Phase!.Value, sums[p]))];
    }

    /// <summary>
    /// The rates between consecutive phases. With <paramref name="teamRates"/> each rate is compared with the team's
    /// rate for the same step and the step furthest below it is the bottleneck; without them there is no bottleneck.
    /// </summary>
    public static ConversionReport FromCounts(IReadOnlyList<PhaseCount> phases, DateOnly windowStart, DateOnly windowEnd, int weeksCounted, IReadOnlyList<PhaseRate>? teamRates)
    {
        ArgumentNullException.ThrowIfNull(phases);
        var rates = new List<PhaseRate>(Math.Max(0, phases.Count - 1));
        for (var k = 0; k + 1 < phases.Count; k++)
        {
            var from = phases[k];
            var to = phases[k + 1];
            double? rate = from.Count > 0 ? (double)(to.Count / from.Count) : null;
            var flagged = to.Count > from.Count;
            var interval = flagged ? null : Wilson.Interval((double)to.Count, (double)from.Count);
            var teamRate = teamRates?.FirstOrDefault(r => r.From == from.Metric && r.To == to.Metric)?.Rate;
            double? gap = rate is { } r && teamRate is { } t ? r - t : null;
            rates.Add(new PhaseRate(from.Metric, to.Metric, $"{from.Metric} → {to.Metric}", from.Count, to.Count, rate, interval?.Low, interval?.High, flagged, teamRate, gap, false));
        }

        // The bottleneck is the furthest below the team; a flagged step is bad data, not a bottleneck.
        var bottleneckIndex = -1;
        for (var i = 0; i < rates.Count; i++)
        {
            if (rates[i].GapToTeam is { } gap && gap < 0 && !rates[i].NumeratorExceedsDenominator
                && (bottleneckIndex < 0 || gap < rates[bottleneckIndex].GapToTeam))
            {
                bottleneckIndex = i;
            }
        }

        if (bottleneckIndex >= 0)
        {
            rates[bottleneckIndex] = rates[bottleneckIndex] with { IsBottleneck = true };
        }

        return new ConversionReport(
            windowStart,
            windowEnd,
            weeksCounted,
            phases,
            rates,
            bottleneckIndex >= 0 ? rates[bottleneckIndex] : null,
            rates.Exists(r => r.NumeratorExceedsDenominator));
    }

    /// <summary>One person's conversion over the team's conversion window, compared with <paramref name="teamRates"/> when given.</summary>
    public static ConversionReport Compute(Team team, PersonActivity activity, DateOnly asOf, IReadOnlyList<PhaseRate>? teamRates = null)
    {
        ArgumentNullException.ThrowIfNull(team);
        ArgumentNullException.ThrowIfNull(activity);
        var window = Window(team.Settings, asOf);
        var first = ActivityCalendar.StartFor(activity, window[0]);
        var counts = CountPhases(team.Metrics, activity, window, first);
        var exclusions = ActivityCalendar.Exclusions(activity.Person, first, window);
        return FromCounts(counts, window[0].Monday, window[^1].Sunday, exclusions.Count(e => e is null), teamRates);
    }

    /// <summary>The conversion window: the last <see cref="TeamSettings.ConversionWeeks"/> complete weeks (at least 1).</summary>
    public static IReadOnlyList<IsoWeek> Window(TeamSettings settings, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return IsoWeeks.LastCompleteWeeks(asOf, Math.Max(1, settings.ConversionWeeks));
    }
}
