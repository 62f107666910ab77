using KpiBot.Domain;
using KpiBot.Kpis;

namespace KpiBot.Core.Tests.Kpis;

public class ForecastKpiTests
{
    private static readonly DateOnly Oct1 = new(2026, 10, 1);

    [Fact]
    public void Closed_months_exclude_the_current_month_until_its_last_day()
    {
        Assert.Equal(["2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"], ForecastKpi.ClosedPeriods(ForecastPeriod.Month, TestData.AsOf, 6).Select(p => p.Label));
        Assert.Equal("2026-11", ForecastKpi.ClosedPeriods(ForecastPeriod.Month, new DateOnly(2026, 11, 30), 1)[0].Label);
        Assert.Equal("2026-10", ForecastKpi.ClosedPeriods(ForecastPeriod.Month, new DateOnly(2026, 11, 29), 1)[0].Label);
        var quarters = ForecastKpi.ClosedPeriods(ForecastPeriod.Quarter, TestData.AsOf, 4);
        Assert.Equal(["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"], quarters.Select(p => p.Label));
        Assert.Equal((new DateOnly(2026, 7, 1), new DateOnly(2026, 9, 30)), (quarters[^1].Start, quarters[^1].End));
    }

    [Fact]
    public void Forecast_weights_deals_open_at_the_start_by_their_stage_at_the_start()
    {
        Deal[] deals =
        [
            // In proposal (50 %) at the end of Oct 31, expected and won in November.
            TestData.Open("anna", 100_000, new DateOnly(2026, 11, 15), new StageChange("proposal", Oct1)) with { Outcome = DealOutcome.Won, CloseDate = new DateOnly(2026, 11, 15) },
            // Proposal at the start, moved to negotiation on Nov 5: still weighted 50 %, then lost.
            TestData.Open("anna", 200_000, new DateOnly(2026, 11, 20), new StageChange("proposal", Oct1), new StageChange("negotiation", new DateOnly(2026, 11, 5))) with { Outcome = DealOutcome.Lost, CloseDate = new DateOnly(2026, 11, 25) },
            // Started in November: not open at the start, not in F (but its win counts in A).
            TestData.Won("anna", 20_000, new DateOnly(2026, 11, 3), new DateOnly(2026, 11, 28)),
            // Expected in December: not in November's F.
            TestData.Open("anna", 500_000, new DateOnly(2026, 12, 10), new StageChange("negotiation", Oct1)),
        ];

        var report = ForecastKpi.Compute(TestData.Team(), deals, TestData.AsOf);
        var november = report.Periods[^1];

        Assert.Equal("2026-11", november.Period);
        Assert.Equal(2, november.DealsForecast);
        Assert.Equal(150_000m, november.Forecast);
        Assert.Equal(120_000m, november.Actual);
        Assert.Equal(0.2, november.Deviation!.Value, 9);
        Assert.Equal(ForecastBand.Watch, november.Band);
        Assert.Equal(november, report.Latest);
        Assert.True(report.HasExpectedCloseDates);
        Assert.Null(report.Note);
    }

    [Theory]
    [InlineData(100_000, ForecastBand.InControl)] // 0 %
    [InlineData(115_000, ForecastBand.InControl)] // exactly 15 %
    [InlineData(115_001, ForecastBand.Watch)]
    [InlineData(85_000, ForecastBand.InControl)] // −15 % counts the same as +15 %
    [InlineData(125_000, ForecastBand.Watch)] // exactly 25 %
    [InlineData(125_001, ForecastBand.LeadQualification)]
    [InlineData(0, ForecastBand.LeadQualification)] // nothing won: 100 % off
    public void Bands_at_15_and_25_percent(int actual, ForecastBand expected)
    {
        // F = 200,000 × 50 % = 100,000.
        var forecastDeal = TestData.Open("anna", 200_000, new DateOnly(2026, 11, 30), new StageChange("proposal", Oct1));
        var deals = actual > 0 ? new[] { forecastDeal, TestData.Won("anna", actual, new DateOnly(2026, 11, 2), new DateOnly(2026, 11, 20)) } : [forecastDeal];

        var november = ForecastKpi.Compute(TestData.Team(), deals, TestData.AsOf).Periods[^1];

        Assert.Equal(100_000m, november.Forecast);
        Assert.Equal(expected, november.Band);
    }

    [Fact]
    public void Bands_come_from_the_team_settings()
    {
        var strict = new ForecastBands(0.05, 0.10);

        Assert.Equal(ForecastBand.Watch, ForecastKpi.BandOf(0.08, strict));
        Assert.Equal(ForecastBand.LeadQualification, ForecastKpi.BandOf(0.15, strict));
    }

    [Fact]
    public void Without_expected_close_dates_there_is_no_forecast_and_the_report_says_why()
    {
        Deal[] deals = [TestData.Won("anna", 50_000, new DateOnly(2026, 9, 1), new DateOnly(2026, 11, 10)), TestData.Open("anna", 80_000, null, new StageChange("proposal", Oct1))];

        var report = ForecastKpi.Compute(TestData.Team(), deals, TestData.AsOf);

        Assert.False(report.HasExpectedCloseDates);
        Assert.All(report.Periods, p => Assert.Equal(ForecastBand.NoForecast, p.Band));
        Assert.All(report.Periods, p => Assert.Null(p.Forecast));
        Assert.Equal(50_000m, report.Periods[^1].Actual);
        Assert.Null(report.Latest);
        Assert.Contains("No deal has an expected close date", report.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Calibration_compares_the_won_share_of_each_stage_with_its_probability()
    {
        Deal[] deals =
        [
            TestData.Won("anna", 1, Oct1, new DateOnly(2026, 10, 20), "proposal"),
            TestData.Lost("anna", 1, Oct1, new DateOnly(2026, 10, 21), "proposal"),
            TestData.Lost("anna", 1, Oct1, new DateOnly(2026, 10, 22), "proposal"),
            TestData.Open("anna", 1, null, new StageChange("prospecting", Oct1), new StageChange("proposal", new DateOnly(2026, 10, 5))) with { Outcome = DealOutcome.Lost, CloseDate = new DateOnly(2026, 10, 30) },
            TestData.Open("anna", 1, null, new StageChange("proposal", Oct1)), // still open: outcome unknown
        ];

        var proposal = ForecastKpi.Calibrate(Defaults.Stages, deals).Single(c => c.Stage == "proposal");
        var prospecting = ForecastKpi.Calibrate(Defaults.Stages, deals).Single(c => c.Stage == "prospecting");

        Assert.Equal((4, 1, 0.25, 0.5), (proposal.ClosedDeals, proposal.WonDeals, proposal.WonShare!.Value, proposal.ConfiguredProbability));
        Assert.Equal((1, 0, 0.0), (prospecting.ClosedDeals, prospecting.WonDeals, prospecting.WonShare!.Value));
    }
}
