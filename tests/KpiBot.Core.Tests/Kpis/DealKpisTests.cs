using KpiBot.Kpis;

namespace KpiBot.Core.Tests.Kpis;

public class DealKpisTests
{
    private static readonly DateOnly Start = new(2026, 10, 5);
    private static readonly DateOnly End = new(2026, 11, 29);

    [Theory]
    [InlineData(100_000, 30, 101_466.67)] // 100,000 ÷ (30 ÷ 30.44)
    [InlineData(100_000, 61, 49_901.64)] // about two months: ~50,000 per month
    [InlineData(150_000, 183, 24_950.82)] // about six months: ~25,000 per month
    [InlineData(1_000, 0, 30_440.00)] // a same-day win counts as one day, not zero
    public void Value_per_cycle_month_of_one_deal(int value, int cycleDays, double expected)
    {
        var close = new DateOnly(2026, 11, 20);
        var deal = TestData.Won("anna", value, close.AddDays(-cycleDays), close);

        var report = DealKpis.ValuePerCycleMonth([deal], Start, End);

        Assert.Equal((decimal)expected, report.ValuePerCycleMonth);
        Assert.Equal(Math.Max(1, cycleDays), report.CycleDays);
    }

    [Fact]
    public void Several_deals_are_sum_of_value_over_sum_of_months_not_an_average_of_ratios()
    {
        var close = new DateOnly(2026, 11, 20);
        var report = DealKpis.ValuePerCycleMonth(
            [TestData.Won("anna", 100_000, close.AddDays(-61), close), TestData.Won("anna", 150_000, close.AddDays(-183), close)],
            Start,
            End);

        Assert.Equal(2, report.DealsWon);
        Assert.Equal(250_000m, report.WonValue);
        Assert.Equal(244, report.CycleDays);
        Assert.Equal(31_188.52m, report.ValuePerCycleMonth); // 250,000 ÷ (244 ÷ 30.44)
    }

    [Fact]
    public void Only_deals_won_inside_the_window_count()
    {
        var report = DealKpis.ValuePerCycleMonth(
            [TestData.Won("anna", 1, Start.AddDays(-40), Start.AddDays(-1)), TestData.Won("anna", 1, End.AddDays(-3), End.AddDays(1)), TestData.Lost("anna", 5, Start, End)],
            Start,
            End);

        Assert.Equal(0, report.DealsWon);
        Assert.Null(report.ValuePerCycleMonth);
    }

    [Fact]
    public void Deal_figures_close_rate_average_value_and_cycle()
    {
        var close = new DateOnly(2026, 11, 10);
        var figures = DealKpis.Figures(
            [
                TestData.Won("anna", 100_000, close.AddDays(-10), close),
                TestData.Won("anna", 50_000, close.AddDays(-20), close),
                TestData.Won("anna", 30_000, close.AddDays(-30), close),
                TestData.Lost("anna", 70_000, close.AddDays(-5), close),
                TestData.Lost("anna", 70_000, Start.AddDays(-50), Start.AddDays(-1)), // before the window
                TestData.Open("anna", 10_000, null, new KpiBot.Domain.StageChange("proposal", Start)),
            ],
            Start,
            End);

        Assert.Equal((3, 1, 1), (figures.Won, figures.Lost, figures.OpenAtEnd));
        Assert.Equal(0.75, figures.CloseRate);
        Assert.Equal(180_000m, figures.WonValue);
        Assert.Equal(60_000m, figures.AverageWonValue);
        Assert.Equal(20.0, figures.AverageCycleDays);
    }

    [Fact]
    public void Nothing_closed_has_no_rates()
    {
        var figures = DealKpis.Figures([], Start, End);

        Assert.Null(figures.CloseRate);
        Assert.Null(figures.AverageWonValue);
        Assert.Null(figures.AverageCycleDays);
    }
}
