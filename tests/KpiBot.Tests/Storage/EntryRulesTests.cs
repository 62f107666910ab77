using KpiBot.Domain;

namespace KpiBot.Tests.Storage;

public sealed class EntryRulesTests
{
    private static readonly DateOnly Today = new(2026, 12, 4);
    private static readonly Team Team = Defaults.NewTeam("t", "local:x", "North", TempStore.Now);

    [Theory]
    [InlineData("booked", 0, 0)]
    [InlineData("held", 200, 0)]
    [InlineData("qualified", 3, -365)]
    [InlineData("proposals", 1, 0)]
    public void Whole_counts_up_to_the_daily_maximum_on_today_or_earlier_are_accepted(string metric, int value, int daysFromToday)
    {
        Assert.Empty(EntryRules.Check(metric, value, Today.AddDays(daysFromToday), Team, Today));
    }

    [Fact]
    public void Every_problem_of_one_entry_is_reported_at_once()
    {
        var problems = EntryRules.Check("calls", -2, Today.AddDays(1), Team, Today);
        Assert.Equal(["metric", "value", "date"], problems.Select(p => p.Field));
        Assert.Equal(["calls", "-2", "2026-12-05"], problems.Select(p => p.Given));
        Assert.Contains("today is 2026-12-04", problems[2].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_team_settings_decide_the_maximum_and_the_metric_set()
    {
        var strict = Team with
        {
            Settings = Team.Settings with { MaxDailyCount = 20 },
            Metrics = Team.Metrics.Where(m => m.Key != MetricKeys.Proposals).ToList(),
        };
        Assert.Equal("value", Assert.Single(EntryRules.Check(MetricKeys.Booked, 21, Today, strict, Today)).Field);
        var unknown = Assert.Single(EntryRules.Check(MetricKeys.Proposals, 1, Today, strict, Today));
        Assert.Contains("Statistics you can log: booked, held, qualified.", unknown.Message, StringComparison.Ordinal);
        Assert.Equal(["booked", "held", "qualified"], EntryRules.LoggableMetrics(strict));
    }

    [Fact]
    public void The_exception_carries_every_problem_and_a_readable_message()
    {
        var problems = EntryRules.Check(MetricKeys.Booked, 500, Today, Team, Today);
        var error = new InvalidEntryException(problems);
        Assert.Same(problems, error.Problems);
        Assert.Equal("500 is more than 200 for one day, which looks like a typo; log at most 200 per statistic and day.", error.Message);
    }

    [Theory]
    [InlineData("pipeline:prospecting", 0)]
    [InlineData("pipeline:negotiation", 850)]
    public void A_pipeline_snapshot_is_an_open_count_of_a_team_stage_and_may_exceed_the_daily_maximum(string metric, int open)
    {
        Assert.Empty(EntryRules.Check(metric, open, Today, Team, Today));
    }

    [Theory]
    [InlineData("pipeline:closing", 3, "metric", "Stages: prospecting, qualified, proposal, negotiation.")]
    [InlineData("pipeline:proposal", -1, "value", "an open count is 0 or more")]
    [InlineData("pipeline:proposal", 20000, "value", "at most 10000 per stage")]
    public void A_bad_snapshot_names_the_stage_or_the_count_and_what_would_work(string metric, int open, string field, string hint)
    {
        var problem = Assert.Single(EntryRules.Check(metric, open, Today, Team, Today));
        Assert.Equal(field, problem.Field);
        Assert.Contains(hint, problem.Message, StringComparison.Ordinal);
    }
}
