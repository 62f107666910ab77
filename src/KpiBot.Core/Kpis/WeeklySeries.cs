using KpiBot.Domain;

namespace KpiBot.Kpis;

/// <summary>Builds a person's weekly totals of one statistic.</summary>
public static class WeeklySeries
{
    /// <summary>
    /// The team's main statistic: the first main statistic measured in currency (revenue won), else the first main
    /// statistic, else the default revenue definition.
    /// </summary>
    public static MetricDefinition MainStatistic(IReadOnlyList<MetricDefinition> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return metrics.FirstOrDefault(m => m.Kind == MetricKind.Main && m.Unit == MetricUnit.Currency)
            ?? metrics.FirstOrDefault(m => m.Kind == MetricKind.Main)
            ?? Defaults.Metrics[0];
    }

    /// <summary>
    /// Weekly totals of <paramref name="metric"/> over <paramref name="weeks"/>. Deal statistics come from deals won
    /// (value for a currency statistic, count otherwise) by close date; logged statistics from daily entries.
    /// Weeks before the first logged day or mostly away have a null value and say why.
    /// </summary>
    public static IReadOnlyList<WeekValue> For(MetricDefinition metric, PersonActivity activity, IReadOnlyList<IsoWeek> weeks)
    {
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentNullException.ThrowIfNull(weeks);
        return For(metric, activity, weeks, weeks.Count > 0 ? ActivityCalendar.StartFor(activity, weeks[0]) : null);
    }

    /// <summary>As <see cref="For(MetricDefinition, PersonActivity, IReadOnlyList{IsoWeek})"/> with the first logged day already known.</summary>
    internal static IReadOnlyList<WeekValue> For(MetricDefinition metric, PersonActivity activity, IReadOnlyList<IsoWeek> weeks, DateOnly? firstLoggedDay)
    {
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentNullException.ThrowIfNull(weeks);
        var totals = Totals(metric, activity, weeks);
        var exclusions = ActivityCalendar.Exclusions(activity.Person, firstLoggedDay, weeks);
        var result = new WeekValue[weeks.Count];
        for (var i = 0; i < weeks.Count; i++)
        {
            result[i] = new WeekValue(weeks[i].Label, weeks[i].Monday, exclusions[i] is null ? totals[i] : null, exclusions[i]);
        }

        return result;
    }

    /// <summary>The team's series: per week the sum over everyone counted that week; a week nobody counted is left out.</summary>
    public static IReadOnlyList<WeekValue> Sum(IReadOnlyList<IsoWeek> weeks, IEnumerable<IReadOnlyList<WeekValue>> people)
    {
        ArgumentNullException.ThrowIfNull(weeks);
        ArgumentNullException.ThrowIfNull(people);
        var sums = new double?[weeks.Count];
        foreach (var series in people)
        {
            for (var i = 0; i < weeks.Count && i < series.Count; i++)
            {
                if (series[i].Value is { } value)
                {
                    sums[i] = (sums[i] ?? 0) + value;
                }
            }
        }

        var result = new WeekValue[weeks.Count];
        for (var i = 0; i < weeks.Count; i++)
        {
            result[i] = new WeekValue(weeks[i].Label, weeks[i].Monday, sums[i], sums[i] is null ? ActivityCalendar.BeforeStart : null);
        }

        return result;
    }

    /// <summary>Raw weekly totals (no exclusions) of a statistic.</summary>
    internal static double[] Totals(MetricDefinition metric, PersonActivity activity, IReadOnlyList<IsoWeek> weeks)
    {
        var totals = new double[weeks.Count];
        if (metric.Source == MetricSource.Logged)
        {
            var entries = activity.Entries;
            for (var e = 0; e < entries.Count; e++)
            {
                var entry = entries[e];
                if (string.Equals(entry.Metric, metric.Key, StringComparison.Ordinal))
                {
                    var index = ActivityCalendar.IndexOf(weeks, entry.Date);
                    if (index >= 0)
                    {
                        totals[index] += (double)entry.Value;
                    }
                }
            }

            return totals;
        }

        var countValue = metric.Unit == MetricUnit.Currency;
        var deals = activity.Deals;
        for (var d = 0; d < deals.Count; d++)
        {
            var deal = deals[d];
            if (deal.Outcome == DealOutcome.Won && deal.CloseDate is { } close)
            {
                var index = ActivityCalendar.IndexOf(weeks, close);
                if (index >= 0)
                {
                    totals[index] += countValue ? (double)deal.Value : 1;
                }
            }
        }

        return totals;
    }
}
