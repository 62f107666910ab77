using KpiBot.Domain;
using KpiBot.Kpis;

namespace KpiBot.Core.Tests.Kpis;

public class MetricSetRulesTests
{
    private static MetricDefinition Metric(string key, MetricKind kind) => new(key, key, kind, MetricUnit.Count, MetricSource.Logged, null, []);

    [Fact]
    public void The_default_set_is_inside_the_bounds()
    {
        var check = MetricSetRules.Check(Defaults.Metrics);

        Assert.True(check.WithinBounds);
        Assert.Equal((9, 2, 4, 3), (check.Total, check.Main, check.Sub, check.Key));
        Assert.Empty(check.Warnings);
    }

    [Theory]
    [InlineData(0, 4, 2, "The team has 0 main statistics (results such as revenue won); the method needs 1–2. Add 1.")]
    [InlineData(3, 4, 2, "The team has 3 main statistics (results such as revenue won); the method works with 1–2. Remove 1.")]
    [InlineData(1, 2, 3, "The team has 2 sub-statistics (one activity per sales phase); the method needs 3–6. Add 1.")]
    [InlineData(2, 7, 3, "The team has 7 sub-statistics (one activity per sales phase); the method works with 3–6. Remove 1.")]
    [InlineData(1, 4, 1, "The team has 1 key statistics (ratios such as conversion); the method needs 2–4. Add 1.")]
    [InlineData(2, 6, 5, "The team has 13 statistics in all; the method works with 6–12. Remove 1.")]
    public void Out_of_bounds_sets_get_a_warning_saying_what_to_change(int main, int sub, int key, string warning)
    {
        var metrics = Enumerable.Range(0, main).Select(i => Metric($"m{i}", MetricKind.Main))
            .Concat(Enumerable.Range(0, sub).Select(i => Metric($"s{i}", MetricKind.Sub)))
            .Concat(Enumerable.Range(0, key).Select(i => Metric($"k{i}", MetricKind.Key)))
            .ToArray();

        var check = MetricSetRules.Check(metrics);

        Assert.False(check.WithinBounds);
        Assert.Contains(warning, check.Warnings);
    }
}
