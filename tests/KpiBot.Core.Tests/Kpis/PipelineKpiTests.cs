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

    private static DailyEntry Snapshot(string personId, DateOnly date, string stage, int open, int minute = 0) =>
        TestData.Entry(personId, date, PipelineSnapshots.MetricFor(stage), open) with
        {
            Id = Guid.NewGuid().ToString("N"),
            RecordedAt = new DateTimeOffset(date.ToDateTime(new TimeOnly(9, minute)), TimeSpan.Zero),
        };

    [Fact]
    public void Without_deals_the_latest_snapshot_of_each_week_is_its_count_and_it_carries_forward()
    {
        var weeks = TestData.Weeks();
        DailyEntry[] entries =
        [
            Snapshot("anna", weeks[2].Monday, "prospecting", 12),
            Snapshot("anna", weeks[2].Monday, "qualified", 5),
            // Corrected later the same day: the later snapshot wins.
            Snapshot("anna", weeks[2].Monday, "qualified", 4, minute: 30),
            Snapshot("anna", weeks[4].Monday.AddDays(3), "prospecting", 9),
            Snapshot("anna", weeks[6].Sunday, "prospecting", 7),
            // A snapshot after the last complete week does not count yet.
            Snapshot("anna", new DateOnly(2026, 12, 1), "prospecting", 1),
            TestData.Entry("anna", weeks[3].Monday, MetricKeys.Booked, 40),
        ];

        var report = PipelineKpi.Compute(TestData.Team(), new PersonActivity(TestData.Person(), entries, []), TestData.AsOf);

        Assert.Equal(PipelineSource.Snapshots, report.Source);
        Assert.Equal([0, 0, 12, 12, 9, 9, 7, 7], report.Stages[0].OpenAtWeekEnd);
        Assert.Equal([0, 0, 4, 4, 4, 4, 4, 4], report.Stages[1].OpenAtWeekEnd);
        // The trend starts with the first known week: 12, 12, 9, 9, 7, 7 has a median pairwise slope of −1 a week.
        Assert.True(report.StageZeroShrinking);
        Assert.Equal(-1.0, report.Stages[0].SlopePerWeek!.Value, 9);
        Assert.Equal(0.0, report.Stages[1].SlopePerWeek!.Value, 9);
        Assert.Equal(0m, report.OpenValueAtLastWeek);
    }

    [Fact]
    public void Someone_with_open_deals_is_counted_from_the_deals_even_if_they_also_logged_snapshots()
    {
        var weeks = TestData.Weeks();
        var deals = new[] { TestData.Open("anna", 1000, null, new StageChange("proposal", weeks[0].Monday)) };
        var entries = new[] { Snapshot("anna", weeks[3].Monday, "prospecting", 30) };

        var report = PipelineKpi.Compute(TestData.Team(), new PersonActivity(TestData.Person(), entries, deals), TestData.AsOf);

        Assert.Equal(PipelineSource.Deals, report.Source);
        Assert.All(report.Stages[0].OpenAtWeekEnd, count => Assert.Equal(0, count));
        Assert.All(report.Stages[2].OpenAtWeekEnd, count => Assert.Equal(1, count));
    }

    [Fact]
    public void A_team_adds_one_persons_deals_to_anothers_snapshots()
    {
        var weeks = TestData.Weeks();
        var anna = new PersonActivity(TestData.Person("anna", "Anna"), [], [TestData.Open("anna", 1000, null, new StageChange("prospecting", weeks[0].Monday))]);
        var bo = new PersonActivity(TestData.Person("bo", "Bo"), [Snapshot("bo", weeks[5].Monday, "prospecting", 6)], []);

        var report = KpiEngine.ComputeTeam(TestData.Team(), [anna, bo], TestData.AsOf).Pipeline;

        Assert.Equal(PipelineSource.Mixed, report.Source);
        Assert.Equal([1, 1, 1, 1, 1, 7, 7, 7], report.Stages[0].OpenAtWeekEnd);
        Assert.Equal(1000m, report.OpenValueAtLastWeek);
    }
}
