namespace KpiBot.Statistics;

/// <summary>A fitted straight line y = Intercept + Slope · x.</summary>
public sealed record LineFit(double Slope, double Intercept)
{
    /// <summary>The line's value at <paramref name="x"/>.</summary>
    public double At(double x) => Intercept + (Slope * x);
}

/// <summary>
/// The Theil–Sen estimator (Theil 1950; Sen 1968): the slope is the median of the slopes of all point pairs,
/// the intercept median(y) − slope·median(x) (Conover 1980; SciPy's <c>theilslopes</c> default), so the line
/// passes through the point of medians.
/// KpiBot uses it for every trend because one outlier week (a single huge deal, a week off sick) cannot move
/// the median of the pairwise slopes far: its breakdown point is about 29 %.
/// </summary>
public static class TheilSen
{
    /// <summary>
    /// Fits a line through the points (<paramref name="x"/>[i], <paramref name="y"/>[i]); pairs with equal x are skipped.
    /// Returns null when fewer than two distinct x values exist.
    /// </summary>
    /// <exception cref="ArgumentException">When the lists differ in length.</exception>
    public static LineFit? Fit(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count)
        {
            throw new ArgumentException($"x has {x.Count} values but y has {y.Count}; pass one x per y.", nameof(y));
        }

        var n = x.Count;
        if (n < 2)
        {
            return null;
        }

        var pairCount = n * (n - 1) / 2;
        Span<double> slopes = pairCount <= 256 ? stackalloc double[pairCount] : new double[pairCount];
        var count = 0;
        for (var i = 0; i < n - 1; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                var dx = x[j] - x[i];
                if (dx != 0)
                {
                    slopes[count++] = (y[j] - y[i]) / dx;
                }
            }
        }

        if (count == 0)
        {
            return null;
        }

        var slope = Median.OfInPlace(slopes[..count]);
        Span<double> buffer = n <= 256 ? stackalloc double[n] : new double[n];
        for (var i = 0; i < n; i++)
        {
            buffer[i] = y[i];
        }

        var medianY = Median.OfInPlace(buffer);
        for (var i = 0; i < n; i++)
        {
            buffer[i] = x[i];
        }

        var intercept = medianY - (slope * Median.OfInPlace(buffer));
        return new LineFit(slope, intercept);
    }

    /// <summary>Fits a line through equally spaced values (x = 0, 1, 2, …).</summary>
    public static LineFit? Fit(IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(y);
        var x = new double[y.Count];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = i;
        }

        return Fit(x, y);
    }
}
