using KpiBot.Domain;
using KpiBot.Kpis;

namespace KpiBot.Core.Tests.Kpis;

public class StatusKpiTests
{
    /// <summary>A series of 8 weeks around a mean of 100 with the given exact slope per week.</summary>
    private static double?[] Line(double slopePerWeek) =>
        [.. Enumerable.Range(0, 8).Select(i => (double?)(100 + (slopePerWeek * (i - 3.5))))];

    [Theory]
    [InlineData(-20.0, StatusState.Danger)]
    [InlineData(-10.1, StatusState.Danger)]
    [InlineData(-10.0, StatusState.Danger)] // exactly −10 %/week is Danger (≤)
    [InlineData(-9.9, StatusState.Crisis)]
    [InlineData(0.0, StatusState.Crisis)]
    [InlineData(0.99, StatusState.Crisis)]
    [InlineData(1.0, StatusState.Crisis)] // exactly +1 %/week is still Crisis (Normal needs > +1 %)
    [InlineData(1.01, StatusState.Normal)]
    [InlineData(5.0, StatusState.Normal)]
    public void State_boundaries_on_the_relative_slope(double slopePerWeek, StatusState expected)
    {
        var trend = StatusKpi.Classify(MetricKeys.Revenue, TestData.Series(Line(slopePerWeek)), StatusThresholds.Default);

        Assert.Equal(expected, trend.State);
        Assert.Equal(slopePerWeek / 100, trend.RelativeSlopePerWeek!.Value, 9);
        Assert.Equal(8, trend.Points);
        Assert.False(trend.LowConfidence);
    }

    [Fact]
    public void Thresholds_come_from_the_team_settings()
    {
        var lenient = new StatusThresholds(-0.20, 0.05);

        Assert.Equal(StatusState.Crisis, StatusKpi.Classify("revenue", TestData.Series(Line(-10)), lenient).State);
        Assert.Equal(StatusState.Crisis, StatusKpi.Classify("revenue", TestData.Series(Line(3)), lenient).State);
        Assert.Equal(StatusState.Danger, StatusKpi.Classify("revenue", TestData.Series(Line(-20)), lenient).State);
    }

    [Theory]
    [InlineData(0, StatusState.NotYetAStatistic, false)]
    [InlineData(1, StatusState.NotYetAStatistic, false)]
    [InlineData(2, StatusState.Normal, true)]
    [InlineData(5, StatusState.Normal, true)]
    [InlineData(6, StatusState.Normal, false)]
    public void Points_decide_statistic_and_confidence(int points, StatusState expected, bool lowConfidence)
    {
        double?[] values = [.. Enumerable.Range(0, 8).Select(i => i < 8 - points ? (double?)null : 100 + (10 * i))];

        var trend = StatusKpi.Classify("revenue", TestData.Series(values), StatusThresholds.Default);

        Assert.Equal(expected, trend.State);
        Assert.Equal(points, trend.Points);
        Assert.Equal(lowConfidence, trend.LowConfidence);
        if (points < 2)
        {
            Assert.Contains("not yet a statistic", trend.Explanation, StringComparison.Ordinal);
            Assert.Null(trend.SlopePerWeek);
        }
    }

    [Fact]
    public void One_outlier_week_does_not_flip_a_growing_person_into_danger()
    {
        // Steady +4 %/week growth, except one week where almost nothing closed (a week off sick).
        double?[] values = [100, 104, 108, 112, 116, 2, 124, 128];

        var trend = StatusKpi.Classify("revenue", TestData.Series(values), StatusThresholds.Default);

        Assert.Equal(StatusState.Normal, trend.State);
        Assert.Equal(4.0, trend.SlopePerWeek!.Value, 9);
    }

    [Fact]
    public void One_record_week_does_not_rescue_a_sharp_decline()
    {
        // −15 per week from 160, then one big deal in the last week (4× the week before). The slope ignores it;
        // least squares calls the series growth. (The relative slope divides by the plain mean, as the method
        // defines, so the record week softens −10.9 %/week from −13.8 %, but not across the threshold.)
        double?[] values = [160, 145, 130, 115, 100, 85, 70, 300];

        var trend = StatusKpi.Classify("revenue", TestData.Series(values), StatusThresholds.Default);

        Assert.Equal(StatusState.Danger, trend.State);
        Assert.Equal(-15.0, trend.SlopePerWeek!.Value, 9);
        Assert.True(trend.OlsSlope!.Slope > 0, "the least-squares slope is pulled positive by the record week");
    }

    [Fact]
    public void An_all_zero_series_is_stagnation_with_no_relative_slope()
    {
        var trend = StatusKpi.Classify("revenue", TestData.Series(0, 0, 0, 0, 0, 0, 0, 0), StatusThresholds.Default);

        Assert.Equal(StatusState.Crisis, trend.State);
        Assert.Null(trend.RelativeSlopePerWeek);
        Assert.Equal(0, trend.SlopePerWeek);
        Assert.Contains("mean of 0", trend.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_left_out_week_keeps_the_spacing_of_the_others()
    {
        // +10 per week with week 3 away: the slope stays 10, not 10·7/6.
        var trend = StatusKpi.Classify("revenue", TestData.Series(100, 110, 120, null, 140, 150, 160, 170), StatusThresholds.Default);

        Assert.Equal(10.0, trend.SlopePerWeek!.Value, 9);
        Assert.Equal(7, trend.Points);
    }

    [Fact]
    public void Significance_is_reported_with_the_slope()
    {
        var trend = StatusKpi.Classify("revenue", TestData.Series(Line(-20)), StatusThresholds.Default);

        Assert.Equal(-28, trend.MannKendall!.S);
        Assert.True(trend.MannKendall.PValue < 0.001);
    }

    [Fact]
    public void Revenue_comes_from_won_deals_in_complete_weeks_only()
    {
        var anna = TestData.Person();
        var activity = TestData.RevenueSeries(anna, 100, 110, 120, 130, 140, 150, 160, 170);
        // A huge win in the current, incomplete week (W49) and a logged "revenue" entry must both be ignored.
        var withNoise = activity with
        {
            Deals = [.. activity.Deals, TestData.Won(anna.Id, 1_000_000, new DateOnly(2026, 11, 1), new DateOnly(2026, 12, 2))],
            Entries = [.. activity.Entries, TestData.Entry(anna.Id, new DateOnly(2026, 11, 25), MetricKeys.Revenue, 999_999)],
        };

        var trend = KpiEngine.ComputeStatus(TestData.Team(), withNoise, TestData.AsOf);

        Assert.Equal([100.0, 110, 120, 130, 140, 150, 160, 170], trend.Weeks.Select(w => w.Value!.Value));
        Assert.Equal("2026-W48", trend.Weeks[^1].Week);
        Assert.Equal(StatusState.Normal, trend.State);
    }

    [Fact]
    public void Weeks_mostly_away_are_left_out_not_zero()
    {
        var weeks = TestData.Weeks();
        // Away Monday–Wednesday of the 4th week (3 of 5 working days) and two days of the 6th week.
        var anna = TestData.Person(away: [new AwayPeriod(weeks[3].Monday, weeks[3].Monday.AddDays(2)), new AwayPeriod(weeks[5].Monday, weeks[5].Monday.AddDays(1))]);
        var activity = TestData.RevenueSeries(anna, 100, 110, 120, 0, 140, 150, 160, 170);

        var trend = KpiEngine.ComputeStatus(TestData.Team(), activity, TestData.AsOf);

        Assert.Null(trend.Weeks[3].Value);
        Assert.Equal(ActivityCalendar.Away, trend.Weeks[3].Excluded);
        Assert.Equal(150, trend.Weeks[5].Value);
        Assert.Equal(7, trend.Points);
        Assert.Equal(10.0, trend.SlopePerWeek!.Value, 9);
    }

    [Fact]
    public void The_series_starts_at_the_first_logged_day()
    {
        var weeks = TestData.Weeks();
        var bo = TestData.Person("bo", "Bo");
        // Bo's first activity is the Thursday of the 6th week: that week counts, the five before do not.
        var firstDay = weeks[5].Monday.AddDays(3);
        var activity = new PersonActivity(bo, [TestData.Entry(bo.Id, firstDay, MetricKeys.Booked, 2)], [TestData.Won(bo.Id, 5000, firstDay, weeks[6].Monday.AddDays(1))]);

        var trend = KpiEngine.ComputeStatus(TestData.Team(), activity, TestData.AsOf);

        Assert.All(trend.Weeks.Take(5), w => Assert.Equal(ActivityCalendar.BeforeStart, w.Excluded));
        Assert.Equal([0.0, 5000, 0], trend.Weeks.Skip(5).Select(w => w.Value!.Value));
        Assert.Equal(3, trend.Points);
        Assert.True(trend.LowConfidence);
    }

    [Fact]
    public void Someone_who_never_logged_is_not_yet_a_statistic()
    {
        var trend = KpiEngine.ComputeStatus(TestData.Team(), new PersonActivity(TestData.Person(), [], []), TestData.AsOf);

        Assert.Equal(StatusState.NotYetAStatistic, trend.State);
        Assert.Equal(0, trend.Points);
    }

    [Theory]
    [InlineData(4, 6)]
    [InlineData(8, 8)]
    [InlineData(20, 12)]
    public void Trend_window_is_clamped_to_6_to_12_weeks(int configured, int used)
    {
        var settings = TeamSettings.Default with { TrendWeeks = configured };
        var trend = KpiEngine.ComputeStatus(TestData.Team(settings), TestData.RevenueSeries(TestData.Person(), 1, 2), TestData.AsOf);

        Assert.Equal(used, trend.Weeks.Count);
    }
}

public class ActivityCalendarTests
{
    [Fact]
    public void Start_for_a_window_is_exact_after_the_first_week_and_enough_before_it()
    {
        var weeks = TestData.Weeks();
        var anna = TestData.Person();
        var late = new PersonActivity(anna, [TestData.Entry(anna.Id, weeks[5].Monday.AddDays(3), MetricKeys.Held, 1), TestData.Entry(anna.Id, weeks[6].Monday, MetricKeys.Held, 1)], []);
        var early = new PersonActivity(anna, [TestData.Entry(anna.Id, new DateOnly(2025, 3, 3), MetricKeys.Held, 1), TestData.Entry(anna.Id, new DateOnly(2024, 1, 2), MetricKeys.Held, 1)], []);

        Assert.Equal(weeks[5].Monday.AddDays(3), ActivityCalendar.StartFor(late, weeks[0]));
        Assert.True(ActivityCalendar.StartFor(early, weeks[0]) <= weeks[0].Sunday);
        Assert.Equal(new DateOnly(2024, 1, 2), ActivityCalendar.FirstLoggedDay(early));
        Assert.Null(ActivityCalendar.StartFor(new PersonActivity(anna, [], []), weeks[0]));
    }

    [Fact]
    public void A_first_day_known_from_the_store_counts_even_when_older_entries_were_not_loaded()
    {
        var weeks = TestData.Weeks();
        var anna = TestData.Person();
        // Only the recent weeks were loaded; the store knows Anna has logged since 2025.
        var activity = new PersonActivity(anna, [TestData.Entry(anna.Id, weeks[6].Monday, MetricKeys.Held, 1)], [TestData.Won(anna.Id, 500, weeks[7].Monday, weeks[7].Monday.AddDays(1))], new DateOnly(2025, 2, 3));

        var trend = KpiEngine.ComputeStatus(TestData.Team(), activity, TestData.AsOf);
        var conversion = ConversionKpi.Compute(TestData.Team(), activity, TestData.AsOf);

        Assert.Equal(8, trend.Points);
        Assert.Equal(8, conversion.WeeksCounted);
        Assert.Equal(new DateOnly(2025, 2, 3), ActivityCalendar.FirstLoggedDay(activity));
        Assert.Equal(new DateOnly(2025, 2, 3), ActivityCalendar.StartFor(activity, weeks[0]));
    }
}
