using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using KpiBot.Domain;
using KpiBot.Kpis;
using KpiBot.Statistics;

namespace KpiBot.Core.Tests.Properties;

public class KpiProperties
{
    private static double?[] Values(NonNegativeInt[] raw) => [.. raw.Take(12).Select(v => (double?)(v.Get % 100_000))];

    [Property(MaxTest = 300)]
    public bool Scaling_a_series_by_a_positive_constant_keeps_its_state(NonNegativeInt[] raw, PositiveInt factor)
    {
        var values = Values(raw);
        if (values.Length == 0)
        {
            return true;
        }

        var scale = 1 + (factor.Get % 1000);
        var original = StatusKpi.Classify("revenue", TestData.Series(values), StatusThresholds.Default);
        var scaled = StatusKpi.Classify("revenue", TestData.Series([.. values.Select(v => v * scale)]), StatusThresholds.Default);
        return original.State == scaled.State && original.RelativeSlopePerWeek == scaled.RelativeSlopePerWeek;
    }

    [Property(MaxTest = 300)]
    public bool Adding_a_constant_weekly_trend_shifts_the_slope_by_that_trend(NonNegativeInt[] raw, PositiveInt step)
    {
        var values = Values(raw).Select(v => v!.Value).ToArray();
        if (values.Length < 2)
        {
            return true;
        }

        var c = step.Get % 1000;
        var before = TheilSen.Fit(values)!.Slope;
        var after = TheilSen.Fit([.. values.Select((v, i) => v + (c * i))])!.Slope;
        // Every pair slope grows by exactly c, so the median does; an upward trend stays upward.
        return Math.Abs(after - (before + c)) < 1e-6 && (before < 0 || after > 0 || c == 0);
    }

    [Property(MaxTest = 500)]
    public bool Wilson_contains_the_estimate_and_stays_in_zero_one(NonNegativeInt a, PositiveInt b)
    {
        var trials = b.Get % 100_000;
        if (trials == 0)
        {
            return Wilson.Interval(0, 0) is null;
        }

        var successes = a.Get % (trials + 1);
        var interval = Wilson.Interval(successes, trials)!;
        var p = successes / (double)trials;
        return interval.Low >= 0 && interval.High <= 1 && interval.Low <= p && p <= interval.High;
    }

    [Property(MaxTest = 300)]
    public bool Theil_sen_of_a_perfect_line_returns_its_slope_and_intercept(int intercept, int slope, PositiveInt count)
    {
        var n = 2 + (count.Get % 20);
        var x = Enumerable.Range(0, n).Select(i => (double)(i * 3 % 7) + (i * 7)).ToArray(); // distinct, unevenly spaced
        var y = x.Select(v => intercept + (slope * v)).ToArray();
        var fit = TheilSen.Fit(x, y)!;
        var tolerance = 1e-9 * (1 + Math.Abs((double)slope) + Math.Abs((double)intercept));
        return Math.Abs(fit.Slope - slope) < tolerance && Math.Abs(fit.Intercept - intercept) < tolerance * 200;
    }

    [Property(MaxTest = 200)]
    public bool Mann_kendall_p_value_is_a_probability_and_s_is_antisymmetric(NonNegativeInt[] raw)
    {
        var values = Values(raw).Select(v => v!.Value).ToArray();
        if (values.Length < 2)
        {
            return true;
        }

        var forward = MannKendall.Test(values);
        var backward = MannKendall.Test([.. values.Reverse()]);
        return forward.PValue is >= 0 and <= 1 && forward.S == -backward.S && forward.Variance == backward.Variance;
    }
}
