namespace KpiBot.Statistics;

/// <summary>A confidence interval for a proportion, both ends in [0, 1].</summary>
/// <param name="Low">Lower bound.</param>
/// <param name="High">Upper bound.</param>
public sealed record ProportionInterval(double Low, double High);

/// <summary>
/// The Wilson score interval for a binomial proportion (Wilson 1927; Newcombe 1998, method 3).
/// KpiBot uses it instead of the textbook "p ± z·√(p(1−p)/n)" because small counts are the norm in a
/// salesperson's week: the Wilson interval stays inside [0, 1] and stays wide when n is small, so
/// "2 of 3" reads as uncertain rather than as a precise 67 %.
/// </summary>
public static class Wilson
{
    /// <summary>z for a two-sided 95 % interval.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>
    /// The interval for <paramref name="successes"/> out of <paramref name="trials"/>, or null when it is not
    /// defined: no trials, a negative count, or more successes than trials (a flagged funnel step).
    /// </summary>
    /// <param name="successes">Numerator (e.g. meetings held).</param>
    /// <param name="trials">Denominator (e.g. meetings booked).</param>
    /// <param name="z">Standard normal quantile; default 1.96 (95 %).</param>
    public static ProportionInterval? Interval(double successes, double trials, double z = Z95)
    {
        if (!(trials > 0) || successes < 0 || successes > trials || double.IsNaN(successes) || double.IsInfinity(trials))
        {
            return null;
        }

        var p = successes / trials;
        var z2 = z * z;
        var denominator = 1 + (z2 / trials);
        var centre = (p + (z2 / (2 * trials))) / denominator;
        var halfWidth = z * Math.Sqrt((p * (1 - p) / trials) + (z2 / (4 * trials * trials))) / denominator;
        // Rounding can push an end a hair outside [0, 1] when p is 0 or 1; the exact value is 0 or 1.
        var low = successes == 0 ? 0 : Math.Max(0, centre - halfWidth);
        var high = successes == trials ? 1 : Math.Min(1, centre + halfWidth);
        return new ProportionInterval(low, high);
    }
}
