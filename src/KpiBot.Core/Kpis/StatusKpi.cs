using System.Globalization;
using KpiBot.Domain;
using KpiBot.Statistics;

namespace KpiBot.Kpis;

/// <summary>
/// KPI 5: the status of a weekly series. Theil–Sen slope ÷ |series mean| = relative slope per week;
/// Danger when ≤ the Danger threshold, Normal when above the Normal threshold, Crisis in between.
/// </summary>
public static class StatusKpi
{
    /// <summary>Fewest weekly points that make a statistic.</summary>
    public const int MinimumPoints = 2;

    /// <summary>Up to this many points a state is classified but marked low confidence.</summary>
    public const int LowConfidenceUpTo = 5;

    /// <summary>Allowed trend window lengths in weeks (design: 6–12).</summary>
    public const int MinTrendWeeks = 6, MaxTrendWeeks = 12;

    /// <summary>
    /// Classifies a weekly series. x is the week's position in the window, so a left-out week keeps the spacing of
    /// the others. When the mean is 0 the relative slope is undefined; the state then follows the sign of the slope
    /// (0 → Crisis: a flat line at zero is stagnation, &gt; 0 → Normal, &lt; 0 → Danger).
    /// </summary>
    public static StatusTrend Classify(string metric, IReadOnlyList<WeekValue> weeks, StatusThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(weeks);
        ArgumentNullException.ThrowIfNull(thresholds);
        var x = new List<double>(weeks.Count);
        var y = new List<double>(weeks.Count);
        for (var i = 0; i < weeks.Count; i++)
        {
            if (weeks[i].Value is { } value)
            {
                x.Add(i);
                y.Add(value);
            }
        }

        var points = y.Count;
        if (points < MinimumPoints)
        {
            var why = string.Create(CultureInfo.InvariantCulture, $"{points} weekly point{(points == 1 ? string.Empty : "s")}: not yet a statistic — a trend needs at least {MinimumPoints} complete weeks.");
            return new StatusTrend(metric, weeks, points, points == 1 ? y[0] : null, null, null, null, null, null, StatusState.NotYetAStatistic, false, why);
        }

        var mean = y.Average();
        var fit = TheilSen.Fit(x, y)!;
        var mannKendall = MannKendall.Test(y);
        var ols = OlsSlope.Test(x, y);
        var lowConfidence = points <= LowConfidenceUpTo;
        double? relative = null;
        StatusState state;
        string explanation;
        if (mean == 0)
        {
            state = fit.Slope == 0 ? StatusState.Crisis : fit.Slope > 0 ? StatusState.Normal : StatusState.Danger;
            explanation = fit.Slope == 0
                ? $"The series is flat at a mean of 0 over {points} weeks: stagnation, classified Crisis."
                : $"The series mean is 0, so the relative slope is undefined; classified by the slope's sign ({Format(fit.Slope)} per week).";
        }
        else
        {
            // Rounded to 12 decimals so that a slope of exactly −10 % of the mean is −0.10, not −0.1000000000000001.
            var rel = Math.Round(fit.Slope / Math.Abs(mean), 12);
            relative = rel;
            state = rel <= thresholds.DangerAtOrBelow ? StatusState.Danger : rel > thresholds.NormalAbove ? StatusState.Normal : StatusState.Crisis;
            explanation = state switch
            {
                StatusState.Danger => $"Relative slope {Percent(rel)}/week is at or below the Danger threshold {Percent(thresholds.DangerAtOrBelow)}/week.",
                StatusState.Normal => $"Relative slope {Percent(rel)}/week is above the Normal threshold {Percent(thresholds.NormalAbove)}/week.",
                _ => $"Relative slope {Percent(rel)}/week lies between {Percent(thresholds.DangerAtOrBelow)} and {Percent(thresholds.NormalAbove)}/week: Crisis (stagnation or slight decline).",
            };
        }

        if (lowConfidence)
        {
            explanation += $" Only {points} weekly points: low confidence.";
        }

        return new StatusTrend(metric, weeks, points, mean, fit.Slope, fit.Intercept, relative, mannKendall, ols, state, lowConfidence, explanation);
    }

    /// <summary>The status of <paramref name="activity"/>'s main statistic over the team's trend window as of <paramref name="asOf"/>.</summary>
    public static StatusTrend Compute(Team team, PersonActivity activity, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(team);
        ArgumentNullException.ThrowIfNull(activity);
        var weeks = IsoWeeks.LastCompleteWeeks(asOf, TrendWeeks(team.Settings));
        var metric = WeeklySeries.MainStatistic(team.Metrics);
        return Classify(metric.Key, WeeklySeries.For(metric, activity, weeks), team.Settings.Status);
    }

    /// <summary>The team's trend window clamped to the allowed 6–12 weeks.</summary>
    public static int TrendWeeks(TeamSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Math.Clamp(settings.TrendWeeks, MinTrendWeeks, MaxTrendWeeks);
    }

    private static string Percent(double fraction) => (fraction * 100).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + " %";

    private static string Format(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
