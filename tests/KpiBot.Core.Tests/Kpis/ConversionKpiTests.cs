using KpiBot.Domain;
using KpiBot.Kpis;

namespace KpiBot.Core.Tests.Kpis;

public class ConversionKpiTests
{
    private static PersonActivity Funnel(Person person, decimal booked, decimal held, decimal qualified, decimal proposals, int won, DateOnly? day = null)
    {
        var date = day ?? TestData.Weeks()[4].Monday.AddDays(1);
        var deals = Enumerable.Range(0, won).Select(_ => TestData.Won(person.Id, 10_000, date.AddDays(-20), date)).ToArray();
        return new PersonActivity(
            person,
            [
                TestData.Entry(person.Id, date, MetricKeys.Booked, booked),
                TestData.Entry(person.Id, date, MetricKeys.Held, held),
                TestData.Entry(person.Id, date, MetricKeys.Qualified, qualified),
                TestData.Entry(person.Id, date, MetricKeys.Proposals, proposals),
            ],
            deals);
    }

    [Fact]
    public void Rates_are_sums_of_the_next_phase_over_this_phase_with_wilson_intervals()
    {
        var report = ConversionKpi.Compute(TestData.Team(), Funnel(TestData.Person(), 20, 10, 5, 4, 2), TestData.AsOf);

        Assert.Equal([20m, 10m, 5m, 4m, 2m], report.Phases.Select(p => p.Count));
        Assert.Equal(["booked → held", "held → qualified", "qualified → proposals", "proposals → won"], report.Rates.Select(r => r.Label));
        Assert.Equal([0.5, 0.5, 0.8, 0.5], report.Rates.Select(r => r.Rate!.Value));
        // Wilson 95 % for 10 of 20: 0.2993–0.7007.
        Assert.Equal(0.2993, report.Rates[0].WilsonLow!.Value, 4);
        Assert.Equal(0.7007, report.Rates[0].WilsonHigh!.Value, 4);
        Assert.False(report.HasFlaggedSteps);
        Assert.Null(report.Bottleneck);
        Assert.Equal(new DateOnly(2026, 10, 5), report.WindowStart);
        Assert.Equal(new DateOnly(2026, 11, 29), report.WindowEnd);
    }

    [Fact]
    public void A_numerator_above_its_denominator_is_shown_unclipped_and_flagged()
    {
        var report = ConversionKpi.Compute(TestData.Team(), Funnel(TestData.Person(), 3, 5, 2, 1, 0), TestData.AsOf);
        var step = report.Rates[0];

        Assert.True(step.NumeratorExceedsDenominator);
        Assert.Equal(5.0 / 3, step.Rate!.Value, 9);
        Assert.Null(step.WilsonLow);
        Assert.Null(step.WilsonHigh);
        Assert.True(report.HasFlaggedSteps);
        Assert.False(report.Rates[1].NumeratorExceedsDenominator);
    }

    [Fact]
    public void Won_counts_come_from_deals_not_from_logged_entries()
    {
        var anna = TestData.Person();
        var activity = Funnel(anna, 10, 8, 6, 4, 1);
        activity = activity with { Entries = [.. activity.Entries, TestData.Entry(anna.Id, TestData.Weeks()[2].Monday, MetricKeys.Won, 40)] };

        var report = ConversionKpi.Compute(TestData.Team(), activity, TestData.AsOf);

        Assert.Equal(1m, report.Phases[^1].Count);
        Assert.Equal(0.25, report.Rates[^1].Rate);
    }

    [Fact]
    public void A_zero_denominator_has_no_rate()
    {
        var report = ConversionKpi.Compute(TestData.Team(), Funnel(TestData.Person(), 0, 0, 0, 0, 0), TestData.AsOf);

        Assert.All(report.Rates, r => Assert.Null(r.Rate));
        Assert.All(report.Rates, r => Assert.False(r.NumeratorExceedsDenominator));
    }

    [Fact]
    public void Entries_outside_the_window_or_in_away_weeks_do_not_count()
    {
        var weeks = TestData.Weeks();
        var anna = TestData.Person(away: [new AwayPeriod(weeks[6].Monday, weeks[6].Sunday)]);
        var activity = Funnel(anna, 10, 5, 0, 0, 0);
        activity = activity with
        {
            Entries =
            [
                .. activity.Entries,
                TestData.Entry(anna.Id, new DateOnly(2026, 12, 1), MetricKeys.Booked, 100), // current week
                TestData.Entry(anna.Id, new DateOnly(2026, 9, 1), MetricKeys.Booked, 100), // before the window
                TestData.Entry(anna.Id, weeks[6].Monday.AddDays(2), MetricKeys.Booked, 100), // logged while away
            ],
        };

        var report = ConversionKpi.Compute(TestData.Team(), activity, TestData.AsOf);

        Assert.Equal(10m, report.Phases[0].Count);
        Assert.Equal(7, report.WeeksCounted);
    }

    [Fact]
    public void The_bottleneck_is_the_step_furthest_below_the_team()
    {
        var team = TestData.Team();
        var teamReport = ConversionKpi.Compute(team, Funnel(TestData.Person("t", "Team"), 100, 70, 35, 21, 8), TestData.AsOf);
        // Team rates: 0.70, 0.50, 0.60, 0.381. Anna: 0.50 (−0.20), 0.50 (0), 0.80 (+0.20), 0.50 (+0.12).
        var report = ConversionKpi.Compute(team, Funnel(TestData.Person(), 20, 10, 5, 4, 2), TestData.AsOf, teamReport.Rates);

        Assert.NotNull(report.Bottleneck);
        Assert.Equal("booked → held", report.Bottleneck.Label);
        Assert.Equal(-0.2, report.Bottleneck.GapToTeam!.Value, 9);
        Assert.Equal(0.7, report.Bottleneck.TeamRate!.Value, 9);
        Assert.Single(report.Rates, r => r.IsBottleneck);
    }

    [Fact]
    public void Nobody_below_the_team_has_no_bottleneck()
    {
        var team = TestData.Team();
        var teamReport = ConversionKpi.Compute(team, Funnel(TestData.Person("t", "Team"), 100, 40, 20, 10, 2), TestData.AsOf);

        var report = ConversionKpi.Compute(team, Funnel(TestData.Person(), 20, 10, 5, 4, 2), TestData.AsOf, teamReport.Rates);

        Assert.Null(report.Bottleneck);
        Assert.DoesNotContain(report.Rates, r => r.IsBottleneck);
    }

    [Fact]
    public void Phases_follow_the_teams_metric_set_in_phase_order()
    {
        var metrics = new List<MetricDefinition>(Defaults.Metrics.Where(m => m.Key != MetricKeys.Qualified));
        metrics.Reverse();
        var team = TestData.Team() with { Metrics = metrics };

        var report = ConversionKpi.Compute(team, Funnel(TestData.Person(), 20, 10, 5, 4, 2), TestData.AsOf);

        Assert.Equal(["booked", "held", "proposals", "won"], report.Phases.Select(p => p.Metric));
        Assert.Equal(0.4, report.Rates[1].Rate!.Value, 9);
    }
}
