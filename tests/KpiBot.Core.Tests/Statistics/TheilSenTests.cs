using KpiBot.Statistics;

namespace KpiBot.Core.Tests.Statistics;

public class TheilSenTests
{
    /// <summary>
    /// Sen P.K. (1968), "Estimates of the regression coefficient based on Kendall's tau", JASA 63:1379–1389 —
    /// the worked example x = 1, 2, 3, 4, 10, 12, 18; y = 9, 15, 19, 20, 45, 55, 78 has slope 4; with the
    /// intercept median(y) − slope·median(x) it is 20 − 4·4 = 4 (the values SciPy's theilslopes tests use).
    /// </summary>
    [Fact]
    public void Matches_Sen_1968_example()
    {
        var fit = TheilSen.Fit([1, 2, 3, 4, 10, 12, 18], [9, 15, 19, 20, 45, 55, 78])!;

        Assert.Equal(4.0, fit.Slope, 10);
        Assert.Equal(4.0, fit.Intercept, 10);
    }

    [Fact]
    public void Three_points_example_slope_is_median_of_pair_slopes()
    {
        // Pair slopes of (0,0),(1,1),(2,1): 1, 0.5, 0 → median 0.5; intercept 1 − 0.5·1 = 0.5.
        var fit = TheilSen.Fit([0.0, 1, 1])!;

        Assert.Equal(0.5, fit.Slope, 10);
        Assert.Equal(0.5, fit.Intercept, 10);
    }

    [Fact]
    public void One_outlier_barely_moves_the_slope_while_least_squares_jumps()
    {
        double[] x = [0, 1, 2, 3, 4, 5, 6, 7];
        double[] y = [100, 102, 104, 106, 108, 110, 112, 500]; // one record week

        var robust = TheilSen.Fit(x, y)!;
        var ols = OlsSlope.Test(x, y)!;

        Assert.Equal(2.0, robust.Slope, 10);
        Assert.True(ols.Slope > 30, $"least squares should be pulled by the outlier, got {ols.Slope}");
    }

    [Fact]
    public void Fewer_than_two_distinct_x_has_no_fit()
    {
        Assert.Null(TheilSen.Fit([5.0]));
        Assert.Null(TheilSen.Fit([1, 1], [2, 3]));
    }

    [Fact]
    public void Mismatched_lengths_name_the_problem()
    {
        var error = Assert.Throws<ArgumentException>(() => TheilSen.Fit([1, 2, 3], [1, 2]));
        Assert.Contains("x has 3 values but y has 2", error.Message, StringComparison.Ordinal);
    }
}
