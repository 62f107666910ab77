using KpiBot.Coaching;
using KpiBot.Domain;
using KpiBot.Kpis;

namespace KpiBot.Core.Tests.Coaching;

public class CoachingRulesTests
{
    private static readonly ConversionReport NoBottleneck = ConversionKpi.FromCounts([], TestData.Weeks()[0].Monday, TestData.Weeks()[^1].Sunday, 8, null);
    private static readonly PipelineReport FlatPipeline = new(["2026-W48"], [new StagePipeline("prospecting", "Prospecting", 0, [2], 0, false)], false, 0);
    private static readonly ForecastReport NoForecast = new(ForecastPeriod.Month, [], null, [], false, "none");
    private static readonly DealFigures SomeDeals = new(3, 1, 2, 0.75, 30_000, 10_000, 20);

    private static StatusTrend Trend(params double?[] values) => StatusKpi.Classify("revenue", TestData.Series(values), StatusThresholds.Default);

    private static IReadOnlyList<CoachingSuggestion> Rules(StatusTrend status, ConversionReport? conversion = null, PipelineReport? pipeline = null, ForecastReport? forecast = null, DealFigures? deals = null) =>
        CoachingRules.For("Anna", status, conversion ?? NoBottleneck, pipeline ?? FlatPipeline, forecast ?? NoForecast, deals ?? SomeDeals, TeamSettings.Default);

    [Theory]
    [InlineData(StatusState.Danger, "state.danger", "Intervene now")]
    [InlineData(StatusState.Crisis, "state.crisis", "weekly one-to-one")]
    [InlineData(StatusState.Normal, "state.normal", "Keep the freedom")]
    public void One_suggestion_per_state_quoting_the_trend(StatusState state, string rule, string advice)
    {
        var status = state switch
        {
            StatusState.Danger => Trend(200, 180, 160, 140, 120, 100, 80, 60),
            StatusState.Crisis => Trend(100, 100, 100, 100, 100, 100, 100, 100),
            _ => Trend(100, 110, 120, 130, 140, 150, 160, 170),
        };

        var suggestion = Rules(status).Single(s => s.Rule.StartsWith("state.", StringComparison.Ordinal));

        Assert.Equal(rule, suggestion.Rule);
        Assert.Contains(advice, suggestion.Advice, StringComparison.Ordinal);
        Assert.StartsWith("Anna: revenue ", suggestion.Evidence, StringComparison.Ordinal);
        Assert.Contains("over 8 weeks", suggestion.Evidence, StringComparison.Ordinal);
        if (state == StatusState.Danger)
        {
            Assert.Contains("-15.4 %/week", suggestion.Evidence, StringComparison.Ordinal); // −20 ÷ mean 130
            Assert.Contains("Mann–Kendall p = 0.00", suggestion.Evidence, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Not_yet_a_statistic_gets_no_state_advice()
    {
        Assert.DoesNotContain(Rules(Trend(100)), s => s.Rule.StartsWith("state.", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0, "bottleneck.booked-held", "pre-meeting preparation and confirmations")]
    [InlineData(1, "bottleneck.held-qualified", "qualification and needs analysis")]
    [InlineData(3, "bottleneck.proposals-won", "closing technique")]
    public void The_bottleneck_picks_the_advice_for_its_phase(int weakStep, string rule, string advice)
    {
        var weeks = TestData.Weeks();
        PhaseCount[] team = [new("booked", "b", 0, 100), new("held", "h", 1, 80), new("qualified", "q", 2, 40), new("proposals", "p", 3, 20), new("won", "w", 4, 10)];
        var person = team.Select(p => p with { Count = p.Count / 10 }).ToArray();
        // Make the person's weak step halve while the later phases stay put (so other steps are above the team).
        for (var k = weakStep + 1; k < person.Length; k++)
        {
            person[k] = person[k] with { Count = person[k].Count / 2 };
        }

        var teamRates = ConversionKpi.FromCounts(team, weeks[0].Monday, weeks[^1].Sunday, 8, null).Rates;
        var conversion = ConversionKpi.FromCounts(person, weeks[0].Monday, weeks[^1].Sunday, 8, teamRates);

        var suggestion = Rules(Trend(100, 100, 100), conversion).Single(s => s.Rule.StartsWith("bottleneck.", StringComparison.Ordinal));

        Assert.Equal(rule, suggestion.Rule);
        Assert.Contains(advice, suggestion.Advice, StringComparison.Ordinal);
        Assert.Contains("vs the team's", suggestion.Evidence, StringComparison.Ordinal);
        Assert.Contains("95 % interval", suggestion.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void Booked_to_held_evidence_quotes_counts_rate_and_interval()
    {
        var weeks = TestData.Weeks();
        var teamRates = ConversionKpi.FromCounts([new("booked", "b", 0, 100), new("held", "h", 1, 70)], weeks[0].Monday, weeks[^1].Sunday, 8, null).Rates;
        var conversion = ConversionKpi.FromCounts([new("booked", "b", 0, 20), new("held", "h", 1, 10)], weeks[0].Monday, weeks[^1].Sunday, 8, teamRates);

        var suggestion = Rules(Trend(100, 100), conversion).Single(s => s.Rule == "bottleneck.booked-held");

        Assert.Equal("booked → held: 50 % (10 of 20, 95 % interval 30–70 %) vs the team's 70 %.", suggestion.Evidence);
    }

    [Fact]
    public void A_shrinking_stage_zero_asks_to_protect_prospecting_time()
    {
        var pipeline = new PipelineReport(["a", "b", "c"], [new StagePipeline("prospecting", "Prospecting", 0, [12, 9, 7], -2.5, true)], true, 0);

        var suggestion = Rules(Trend(100, 100), pipeline: pipeline).Single(s => s.Rule == "pipeline.stage0-shrinking");

        Assert.Contains("Protect prospecting time", suggestion.Advice, StringComparison.Ordinal);
        Assert.Equal("Prospecting: 12 → 7 open deals over 3 weeks (-2.5/week, Theil–Sen).", suggestion.Evidence);
    }

    [Fact]
    public void Many_early_leads_but_few_wins_suggests_sales_technique_training()
    {
        var pipeline = new PipelineReport(["2026-W48"], [new StagePipeline("prospecting", "Prospecting", 0, [8], 0, false), new StagePipeline("qualified", "Qualified", 1, [4], 0, false)], false, 0);

        var few = Rules(Trend(100, 100), pipeline: pipeline, deals: SomeDeals with { Won = 2 });
        var enough = Rules(Trend(100, 100), pipeline: pipeline, deals: SomeDeals with { Won = 3 });

        Assert.Contains(few, s => s.Rule == "pipeline.early-but-few-wins" && s.Evidence.StartsWith("12 open deals in the first two stages", StringComparison.Ordinal));
        Assert.DoesNotContain(enough, s => s.Rule == "pipeline.early-but-few-wins");
    }

    [Theory]
    [InlineData(0.30, true)]
    [InlineData(0.25, false)]
    public void Forecast_deviation_above_25_percent_asks_for_lead_qualification(double deviation, bool expected)
    {
        var period = new ForecastPeriodResult("2026-11", new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30), 3, 100_000, (decimal)(100_000 * (1 - deviation)), deviation, ForecastKpi.BandOf(deviation, ForecastBands.Default));
        var forecast = new ForecastReport(ForecastPeriod.Month, [period], period, [], true, null);

        var suggestions = Rules(Trend(100, 100), forecast: forecast);

        Assert.Equal(expected, suggestions.Any(s => s.Rule == "forecast.deviation"));
        if (expected)
        {
            Assert.Equal("2026-11: forecast 100,000 SEK, actual 70,000 SEK, deviation 30 % (> 25 %).", suggestions.Single(s => s.Rule == "forecast.deviation").Evidence);
        }
    }

    [Fact]
    public void Most_urgent_advice_comes_first()
    {
        var pipeline = new PipelineReport(["a", "b"], [new StagePipeline("prospecting", "Prospecting", 0, [5, 2], -3, true)], true, 0);

        var suggestions = Rules(Trend(200, 180, 160, 140, 120, 100, 80, 60), pipeline: pipeline);

        Assert.Equal("state.danger", suggestions[0].Rule);
        Assert.Equal("pipeline.stage0-shrinking", suggestions[1].Rule);
    }
}
