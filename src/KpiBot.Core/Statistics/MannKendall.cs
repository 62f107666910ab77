using MathNet.Numerics.Distributions;

namespace KpiBot.Statistics;

/// <summary>The result of a Mann–Kendall trend test.</summary>
/// <param name="S">Σ sign(y[j] − y[i]) over all pairs i &lt; j: positive for an upward trend.</param>
/// <param name="Variance">Var(S) under "no trend", corrected for tied values.</param>
/// <param name="Z">The normal score with continuity correction ((S − 1)/√Var for S &gt; 0, (S + 1)/√Var for S &lt; 0, 0 for S = 0).</param>
/// <param name="PValue">Two-sided p-value 2·(1 − Φ(|Z|)): small means the trend is unlikely to be chance.</param>
/// <param name="Tau">Kendall's tau-a, S ÷ (n(n−1)/2), in [−1, 1].</param>
public sealed record MannKendallResult(double S, double Variance, double Z, double PValue, double Tau);

/// <summary>
/// The Mann–Kendall non-parametric trend test (Mann 1945; Kendall 1975), with the tie correction
/// Var(S) = [n(n−1)(2n+5) − Σ t(t−1)(2t+5)] ÷ 18 (Gilbert 1987, eq. 16.4). It makes no assumption about the
/// distribution of weekly numbers, which are skewed and lumpy in sales.
/// </summary>
public static class MannKendall
{
    /// <summary>Tests <paramref name="values"/> (in time order) for a monotonic trend. Needs at least two values.</summary>
    /// <exception cref="ArgumentException">When fewer than two values are given.</exception>
    public static MannKendallResult Test(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var n = values.Count;
        if (n < 2)
        {
            throw new ArgumentException($"The Mann–Kendall test needs at least 2 values, got {n}.", nameof(values));
        }

        double s = 0;
        for (var i = 0; i < n - 1; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                s += Math.Sign(values[j] - values[i]);
            }
        }

        var tieTerm = 0.0;
        Span<double> sorted = n <= 256 ? stackalloc double[n] : new double[n];
        for (var i = 0; i < n; i++)
        {
            sorted[i] = values[i];
        }

        sorted.Sort();
        var run = 1;
        for (var i = 1; i <= n; i++)
        {
            if (i < n && sorted[i] == sorted[i - 1])
            {
                run++;
                continue;
            }

            if (run > 1)
            {
                tieTerm += run * (run - 1.0) * ((2.0 * run) + 5);
            }

            run = 1;
        }

        var variance = ((n * (n - 1.0) * ((2.0 * n) + 5)) - tieTerm) / 18.0;
        double z = 0;
        if (variance > 0)
        {
            z = s > 0 ? (s - 1) / Math.Sqrt(variance) : s < 0 ? (s + 1) / Math.Sqrt(variance) : 0;
        }

        var p = 2 * (1 - Normal.CDF(0, 1, Math.Abs(z)));
        var tau = s / (n * (n - 1) / 2.0);
        return new MannKendallResult(s, variance, z, Math.Clamp(p, 0, 1), tau);
    }
}
