using KpiBot.Statistics;

namespace KpiBot.Core.Tests.Statistics;

public class OlsSlopeTests
{
    /// <summary>
    /// The textbook regression x = 1..5, y = 2, 4, 5, 4, 5: slope 0.6, intercept 2.2, SSE 2.4, Sxx 10,
    /// SE = √(2.4/3/10) = 0.2828, t = 2.1213 with 3 degrees of freedom, two-sided p = 0.1240 (R: summary(lm(y ~ x))).
    /// </summary>
    [Fact]
    public void Matches_the_hand_computed_regression()
    {
        var result = OlsSlope.Test([1.0, 2, 3, 4, 5], [2.0, 4, 5, 4, 5])!;

        Assert.Equal(0.6, result.Slope, 10);
        Assert.Equal(2.2, result.Intercept, 10);
        Assert.Equal(0.2828, result.StandardError, 4);
        Assert.Equal(2.1213, result.T, 4);
        Assert.Equal(3, result.DegreesOfFreedom);
        Assert.Equal(0.1240, result.PValue, 3);
    }

    [Fact]
    public void Undefined_for_two_points_or_a_perfect_fit()
    {
        Assert.Null(OlsSlope.Test([1.0, 2], [1.0, 2]));
        Assert.Null(OlsSlope.Test([1.0, 2, 3], [2.0, 4, 6]));
    }
}
