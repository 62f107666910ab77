namespace KpiBot.Scheduling;

/// <summary>
/// The few statistics the nudge and digest need (Theil–Sen trend, Wilson interval, state), kept pure and
/// small. When the shared KPI engine is wired in, <see cref="NudgeContentBuilder"/> can take its numbers
/// instead; the thresholds and rules are the same ones the product definition documents.
/// </summary>
internal static class NudgeStatistics
{
    /// <summary>Theil–Sen slope per step (median of pairwise slopes): one outlier week cannot flip it.</summary>
    public static double TheilSenSlope(IReadOnlyList<(int X, double Y)> points)
    {
        var slopes = new List<double>();
        for (var i = 0; i < points.Count; i++)
        {
            for (var j = i + 1; j < points.Count; j++)
            {
                if (points[j].X != points[i].X)
                {
                    slopes.Add((points[j].Y - points[i].Y) / (points[j].X - points[i].X));
                }
            }
        }
        if (slopes.Count == 0)
        {
            return 0;
        }
        slopes.Sort();
        var mid = slopes.Count / 2;
        return slopes.Count % 2 == 1 ? slopes[mid] : (slopes[mid - 1] + slopes[mid]) / 2;
    }

    /// <summary>The slope relative to the series mean (fraction per week); 0 for an all-zero series.</summary>
    public static double RelativeSlope(IReadOnlyList<(int X, double Y)> points)
    {
        if (points.Count < 2)
        {
            return 0;
        }
        var mean = points.Average(p => p.Y);
        return mean == 0 ? 0 : TheilSenSlope(points) / mean;
    }

    /// <summary>The 95 % Wilson score interval of <paramref name="successes"/> out of <paramref name="trials"/>.</summary>
    public static (double Low, double High) Wilson(double successes, double trials)
    {
        if (trials <= 0)
        {
            return (0, 1);
        }
        const double z = 1.959964;
        var p = Math.Clamp(successes / trials, 0, 1);
        var denominator = 1 + (z * z / trials);
        var centre = (p + (z * z / (2 * trials))) / denominator;
        var half = z * Math.Sqrt((p * (1 - p) / trials) + (z * z / (4 * trials * trials))) / denominator;
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }
}
