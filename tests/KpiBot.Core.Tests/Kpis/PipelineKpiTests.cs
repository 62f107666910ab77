using KpiBot.Domain;
using KpiBot.Kpis;

namespace KpiBot.Core.Tests.Kpis;

public class PipelineKpiTests
{
    [Fact]
    public void Counts_open_deals_per_stage_at_each_week_end_from_the_stage_history()
    {
        var weeks = TestData.Weeks();
        var w0 = weeks[0].Monday;
        Deal[] deals =
        [
            TestData.Open("anna", 1000, null, new StageChange("prospecting", w0)),
            TestData.Open("anna", 2000, null, new StageChange("prospecting", w0), new StageChange("qualified", weeks[3].Monday.AddDays(2))),
            TestData.Won("anna", 3000, w0.AddDays(1), weeks[4].Monday.AddDays(1), "proposal"),
            TestData.Open("anna", 4000, null, new StageChange("negotiation", weeks[7].Sunday)),
            TestData.Open("anna", 5000, null, new StageChange("proposal", new DateOnly(2026, 12, 1))), // current week: not in any complete week
        ];

        var report = PipelineKpi.Compute(TestData.Team(), deals, TestData.AsOf);

        Assert.Equal(weeks.Select(w => w.Label), report.Weeks);
        Assert.Equal([2, 2, 2, 1, 1, 1, 1, 1], report.Stages[0].OpenAtWeekEnd);
        Assert.Equal([0, 0, 0, 1, 1, 1, 1, 1], report.Stages[1].OpenAtWeekEnd);
        Assert.Equal([1, 1, 1, 1, 0, 0, 0, 0], report.Stages[2].OpenAtWeekEnd);
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 1], report.Stages[3].OpenAtWeekEnd);
        Assert.Equal(7000m, report.OpenValueAtLastWeek);
    }

    [Fact]
    public void A_shrinking_stage_zero_is_called_out()
    {
        var weeks = TestData.Weeks();
        // Six prospects open at the start; one drops out (lost) each week from the third week on.
        var deals = Enumerable.Range(0, 6)
            .Select(i => TestData.Lost("anna", 1000, weeks[0].Monday.AddDays(-10), weeks[Math.Min(7, i + 2)].Monday, "prospecting"))
            .ToArray();

        var report = PipelineKpi.Compute(TestData.Team(), deals, TestData.AsOf);

        Assert.Equal([6, 6, 5, 4, 3, 2, 1, 0], report.Stages[0].OpenAtWeekEnd);
        Assert.True(report.Stages[0].Shrinking);
        Assert.True(report.StageZeroShrinking);
        Assert.Equal(-1.0, report.Stages[0].SlopePerWeek!.Value, 9);
    }

    [Fact]
    public void A_steady_stage_zero_is_not_shrinking()
    {
        var deals = new[] { TestData.Open("anna", 1000, null, new StageChange("prospecting", new DateOnly(2026, 1, 5))) };

        var report = PipelineKpi.Compute(TestData.Team(), deals, TestData.AsOf);

        Assert.False(report.StageZeroShrinking);
        Assert.Equal(0, report.Stages[0].SlopePerWeek);
    }
}
