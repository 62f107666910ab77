using KpiBot.Statistics;

namespace KpiBot.Core.Tests.Statistics;

public class WilsonTests
{
    /// <summary>
    /// Reference values: Newcombe R.G. (1998), "Two-sided confidence intervals for the single proportion:
    /// comparison of seven methods", Statistics in Medicine 17:857–872, Table II, method 3 (Wilson score, no
    /// continuity correction): 81/263 → 0.2553–0.3662, 15/148 → 0.0624–0.1605, 0/20 → 0–0.1611, 1/29 → 0.0061–0.1718.
    /// </summary>
    [Theory]
    [InlineData(81, 263, 0.2553, 0.3662)]
    [InlineData(15, 148, 0.0624, 0.1605)]
    [InlineData(0, 20, 0.0000, 0.1611)]
    [InlineData(1, 29, 0.0061, 0.1718)]
    public void Matches_Newcombe_1998_table(int successes, int trials, double low, double high)
    {
        var interval = Wilson.Interval(successes, trials);

        Assert.NotNull(interval);
        Assert.Equal(low, interval.Low, 4);
        Assert.Equal(high, interval.High, 4);
    }

    [Fact]
    public void All_successes_reach_exactly_one()
    {
        var interval = Wilson.Interval(20, 20)!;

        Assert.Equal(1.0, interval.High);
        Assert.Equal(0.8389, interval.Low, 4); // mirror of 0/20 in Newcombe's table
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(5, 0)]
    [InlineData(6, 5)]
    [InlineData(-1, 5)]
    public void Undefined_when_no_trials_or_numerator_exceeds_denominator(double successes, double trials)
    {
        Assert.Null(Wilson.Interval(successes, trials));
    }

    [Fact]
    public void Small_counts_give_a_wide_interval()
    {
        var small = Wilson.Interval(2, 3)!;
        var large = Wilson.Interval(200, 300)!;

        Assert.True(small.High - small.Low > 0.5, $"2 of 3 should read as uncertain, got {small.Low:0.00}–{small.High:0.00}");
        Assert.True(large.High - large.Low < 0.11);
    }
}
