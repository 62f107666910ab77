using KpiBot.Statistics;

namespace KpiBot.Core.Tests.Statistics;

public class MannKendallTests
{
    /// <summary>
    /// "A Mann-Kendall Example (by hand)", College of the Holy Cross
    /// (https://mathcs.holycross.edu/~little/Montserrat/MannKendallByHand.txt): 14 values with one tied pair give
    /// S = 54, V = (14·13·33 − 2·1·9)/18 = 332.667, Z = (S − 1)/√V = 2.9058 and a one-sided p of about 0.0018
    /// (so the two-sided p is about 0.0037).
    /// </summary>
    [Fact]
    public void Matches_the_Holy_Cross_worked_example_with_a_tie()
    {
        double[] values = [12.9, 14.8, 13.2, 15.7, 13.8, 15.6, 12.9, 11.0, 17.3, 15.9, 19.0, 18.3, 20.1, 21.7];

        var result = MannKendall.Test(values);

        Assert.Equal(54, result.S);
        Assert.Equal(((14 * 13 * 33) - (2 * 1 * 9)) / 18.0, result.Variance, 9);
        Assert.Equal(2.9058, result.Z, 4);
        Assert.Equal(0.0037, result.PValue, 4);
        Assert.Equal(54 / 91.0, result.Tau, 9);
    }

    [Fact]
    public void Strictly_decreasing_series_has_the_extreme_negative_S()
    {
        // n = 8, no ties: S = −28, Var = 8·7·21/18 = 65.333, Z = (−28 + 1)/√65.333 = −3.3404.
        var result = MannKendall.Test([80.0, 70, 60, 50, 40, 30, 20, 10]);

        Assert.Equal(-28, result.S);
        Assert.Equal(65.3333, result.Variance, 4);
        Assert.Equal(-3.3404, result.Z, 4);
        Assert.True(result.PValue < 0.001);
        Assert.Equal(-1, result.Tau);
    }

    [Fact]
    public void A_constant_series_has_no_trend_and_p_of_one()
    {
        var result = MannKendall.Test([5.0, 5, 5, 5, 5]);

        Assert.Equal(0, result.S);
        Assert.Equal(0, result.Variance);
        Assert.Equal(0, result.Z);
        Assert.Equal(1, result.PValue);
    }

    [Fact]
    public void One_value_is_refused_with_the_count()
    {
        var error = Assert.Throws<ArgumentException>(() => MannKendall.Test([1.0]));
        Assert.Contains("at least 2 values, got 1", error.Message, StringComparison.Ordinal);
    }
}
