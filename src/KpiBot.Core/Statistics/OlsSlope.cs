using MathNet.Numerics.Distributions;

namespace KpiBot.Statistics;

/// <summary>An ordinary-least-squares slope with its t-test.</summary>
/// <param name="Slope">Least-squares slope per unit of x.</param>
/// <param name="Intercept">Least-squares intercept.</param>
/// <param name="StandardError">Standard error of the slope.</param>
/// <param name="T">Slope ÷ standard error.</param>
/// <param name="DegreesOfFreedom">n − 2.</param>
/// <param name="PValue">Two-sided p-value from Student's t with n − 2 degrees of freedom.</param>
public sealed record OlsSlopeResult(double Slope, double Intercept, double StandardError, double T, int DegreesOfFreedom, double PValue);

/// <summary>
/// The classical least-squares slope t-test, offered next to Mann–Kendall as a second significance figure
/// (it assumes roughly normal residuals, which weekly sales numbers often are not — hence Theil–Sen is the headline).
/// </summary>
public static class OlsSlope
{
    /// <summary>The slope test, or null when it is undefined (fewer than 3 points, all x equal, or a perfect fit).</summary>
    /// <exception cref="ArgumentException">When the lists differ in length.</exception>
    public static OlsSlopeResult? Test(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count)
        {
            throw new ArgumentException($"x has {x.Count} values but y has {y.Count}; pass one x per y.", nameof(y));
        }

        var n = x.Count;
        if (n < 3)
        {
            return null;
        }

        double meanX = 0, meanY = 0;
        for (var i = 0; i < n; i++)
        {
            meanX += x[i];
            meanY += y[i];
        }

        meanX /= n;
        meanY /= n;
        double sxx = 0, sxy = 0;
        for (var i = 0; i < n; i++)
        {
            sxx += (x[i] - meanX) * (x[i] - meanX);
            sxy += (x[i] - meanX) * (y[i] - meanY);
        }

        if (sxx == 0)
        {
            return null;
        }

        var slope = sxy / sxx;
        var intercept = meanY - (slope * meanX);
        double sse = 0;
        for (var i = 0; i < n; i++)
        {
            var residual = y[i] - (intercept + (slope * x[i]));
            sse += residual * residual;
        }

        var df = n - 2;
        var standardError = Math.Sqrt(sse / df / sxx);
        if (!(standardError > 0))
        {
            return null;
        }

        var t = slope / standardError;
        var p = 2 * (1 - StudentT.CDF(0, 1, df, Math.Abs(t)));
        return new OlsSlopeResult(slope, intercept, standardError, t, df, Math.Clamp(p, 0, 1));
    }
}
