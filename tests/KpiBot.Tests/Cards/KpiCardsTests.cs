using KpiBot.Cards;
using KpiBot.Coaching;
using KpiBot.Domain;
using KpiBot.Kpis;
using KpiBot.Replies;

namespace KpiBot.Tests.Cards;

public class KpiCardsTests
{
    private static readonly DateOnly AsOf = new(2026, 12, 4);
    private static readonly DateTimeOffset Created = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static int ids;

    private static Team Team(string currency = "SEK") =>
        Defaults.NewTeam("team-1", "local:test", "Nordic Sales", Created, TeamSettings.Default with { Currency = currency });

    private static Person Person(string id, string name, params AwayPeriod[] away) => new(id, "local:test", "team-1", name, Role.Rep, null, null, away, null, Created);

    private static DailyEntry Entry(string person, DateOnly date, string metric, decimal value) =>
        new($"e{Interlocked.Increment(ref ids)}", "local:test", person, date, metric, value, person, "c", Created);

    private static Deal Won(string owner, decimal value, DateOnly start, DateOnly close) =>
        new($"d{Interlocked.Increment(ref ids)}", "local:test", owner, "Acme", value, "SEK", "negotiation", [new StageChange("negotiation", start)], start, null, DealOutcome.Won, close, null);

    /// <summary>Weekly revenue (one win each Wednesday) over the last complete weeks, plus a funnel logged in week 4.</summary>
    private static PersonActivity Rep(Person person, decimal booked, decimal held, params double[] revenue)
    {
        var weeks = IsoWeeks.LastCompleteWeeks(AsOf, revenue.Length);
        var deals = revenue.Select((v, i) => (v, i)).Where(x => x.v > 0).Select(x => Won(person.Id, (decimal)x.v, weeks[x.i].Monday.AddDays(-28), weeks[x.i].Monday.AddDays(2))).ToArray();
        return new PersonActivity(person, [Entry(person.Id, weeks[0].Monday, MetricKeys.Booked, booked), Entry(person.Id, weeks[0].Monday, MetricKeys.Held, held)], deals);
    }

    /// <summary>Every piece of text a renderer could show from <paramref name="reply"/>.</summary>
    private static string AllText(Reply reply) => reply.Summary + " " + string.Join(" ", reply.Blocks.SelectMany(b => b switch
    {
        Heading h => [h.Text, h.Badge?.Text ?? string.Empty],
        Paragraph p => [p.Text],
        FactList f => f.Facts.SelectMany(x => new[] { x.Label, x.Value }),
        Table t => t.Columns.Concat(t.Rows.SelectMany(r => r.Cells)),
        CoachingList c => c.Items.SelectMany(i => new[] { i.Advice, i.Evidence }),
        Chart c => c.Series.Select(x => x.Name).Append(c.Title),
        Funnel f => f.Steps.Select(x => x.Label).Append(f.Note ?? string.Empty),
        _ => new[] { b.ToString() ?? string.Empty },
    }));

    private static T Block<T>(Reply reply) where T : ReplyBlock => Assert.Single(reply.Blocks.OfType<T>());

    [Fact]
    public void Trend_card_shows_state_badge_slope_significance_and_fitted_line()
    {
        var activity = Rep(Person("dan", "Dan"), 20, 10, 2000, 1800, 1600, 1400, 1200, 1000, 800, 600);
        var report = KpiEngine.ComputePerson(Team(), activity, AsOf);

        var card = KpiCards.Trend(report);

        var heading = Assert.IsType<Heading>(card.Blocks[0]);
        Assert.Equal("Dan: revenue won trend", heading.Text);
        Assert.Equal(new Badge("Danger", Tone.Attention), heading.Badge);
        var facts = Block<FactList>(card).Facts.ToDictionary(f => f.Label, f => f.Value);
        Assert.Equal("\u221215.4 %/week", facts["Relative slope"]); // −200 ÷ mean 1,300
        Assert.Equal("\u2212200 SEK per week", facts["Slope (Theil–Sen)"]);
        Assert.Equal("Mann–Kendall p < 0.001 (significant at 5 %)", facts["Significance"]);
        Assert.Equal("8 of 8 weeks", facts["Points"]);
        Assert.False(facts.ContainsKey("Confidence"));

        var chart = Block<Chart>(card);
        Assert.Equal(ChartKind.Line, chart.Kind);
        Assert.Equal("2026-W41", chart.Categories[0]);
        Assert.Equal("2026-W48", chart.Categories[^1]);
        Assert.Equal([2000.0, 1800, 1600, 1400, 1200, 1000, 800, 600], chart.Series[0].Values.Select(v => v!.Value));
        Assert.False(chart.Series[0].IsFit);
        Assert.True(chart.Series[1].IsFit);
        Assert.Equal(2000, chart.Series[1].Values[0]);
        Assert.Equal(600, chart.Series[1].Values[^1]);

        var coaching = Block<CoachingList>(card);
        Assert.Equal(Tone.Attention, coaching.Items[0].Tone);
        Assert.Contains("Intervene now", coaching.Items[0].Advice, StringComparison.Ordinal);
        Assert.Equal("Dan: Danger — revenue won \u221215.4 %/week over 8 weeks", card.Summary);
    }

    [Fact]
    public void Trend_card_marks_low_confidence_and_away_weeks()
    {
        var weeks = IsoWeeks.LastCompleteWeeks(AsOf, 8);
        var anna = Person("anna", "Anna", new AwayPeriod(weeks[0].Monday, weeks[3].Sunday));
        var activity = Rep(anna, 0, 0, 0, 0, 0, 0, 100, 120, 140, 160);

        var card = KpiCards.Trend(KpiEngine.ComputePerson(Team(), activity, AsOf));

        var facts = Block<FactList>(card).Facts;
        Assert.Equal("4 of 8 weeks (4 away, left out)", facts.Single(f => f.Label == "Points").Value);
        Assert.Equal(Tone.Warning, facts.Single(f => f.Label == "Confidence").Tone);
        Assert.Equal(new Badge("Normal", Tone.Good), Assert.IsType<Heading>(card.Blocks[0]).Badge);
        Assert.Equal([null, null, null, null, 100.0, 120, 140, 160], Block<Chart>(card).Series[0].Values);
    }

    [Fact]
    public void Trend_card_for_someone_without_data_says_not_yet_a_statistic_and_draws_nothing()
    {
        var card = KpiCards.Trend(KpiEngine.ComputePerson(Team(), new PersonActivity(Person("new", "Newt"), [], []), AsOf));

        Assert.Equal("Not yet a statistic", Assert.IsType<Heading>(card.Blocks[0]).Badge!.Text);
        Assert.Empty(card.Blocks.OfType<Chart>());
        Assert.Contains(card.Blocks.OfType<Paragraph>(), p => p.Text.Contains("not yet a statistic", StringComparison.Ordinal));
    }

    [Fact]
    public void Funnel_card_carries_counts_rates_intervals_bottleneck_and_flags()
    {
        var team = Team();
        var people = new[] { Rep(Person("a", "Anna"), 20, 10, 100, 100), Rep(Person("b", "Bo"), 80, 70, 100, 100), Rep(Person("c", "Cy"), 3, 5, 100, 100) };
        var teamConversion = KpiEngine.ComputeTeamConversion(team, people, AsOf);
        var anna = KpiEngine.ComputePerson(team, people[0], AsOf, teamConversion);
        var cy = KpiEngine.ComputePerson(team, people[2], AsOf, teamConversion);

        var funnel = Block<Funnel>(KpiCards.Funnel("Anna", anna.Conversion));
        var flaggedCard = KpiCards.Funnel("Cy", cy.Conversion);

        Assert.Equal(["Meetings booked", "Meetings held", "Qualified leads", "Proposals sent", "Deals won"], funnel.Steps.Select(s => s.Label));
        Assert.Null(funnel.Steps[0].Rate);
        Assert.Equal(20m, funnel.Steps[0].Count);
        Assert.Equal(0.5, funnel.Steps[1].Rate);
        Assert.Equal(0.2993, funnel.Steps[1].RateLow!.Value, 4);
        Assert.True(funnel.Steps[1].IsBottleneck);
        Assert.Equal("Bottleneck: booked → held at 50 % against the team's 83 %.", funnel.Note); // 85 ÷ 103

        var cyStep = Block<Funnel>(flaggedCard).Steps[1];
        Assert.True(cyStep.Flagged);
        Assert.Equal(5.0 / 3, cyStep.Rate!.Value, 9);
        Assert.Null(cyStep.RateLow);
        Assert.Contains(flaggedCard.Blocks.OfType<Paragraph>(), p => p.Tone == Tone.Attention && p.Text.StartsWith("More held (5) than booked (3)", StringComparison.Ordinal));
    }

    [Fact]
    public void Pipeline_card_has_a_table_and_grouped_bars_and_calls_out_a_shrinking_stage_zero()
    {
        var weeks = IsoWeeks.LastCompleteWeeks(AsOf, 8);
        var deals = Enumerable.Range(0, 6).Select(i => new Deal($"p{i}", "local:test", "anna", "P", 1000, "SEK", "prospecting", [new StageChange("prospecting", weeks[0].Monday.AddDays(-7))], weeks[0].Monday.AddDays(-7), null, DealOutcome.Lost, weeks[Math.Min(7, i + 2)].Monday, null)).ToArray();
        var pipeline = PipelineKpi.Compute(Team(), deals, AsOf);

        var card = KpiCards.Pipeline("Anna", pipeline, "SEK");

        var table = Block<Table>(card);
        Assert.Equal(["Stage", "W41", "W42", "W43", "W44", "W45", "W46", "W47", "W48", "Trend/week"], table.Columns);
        Assert.Equal(["Prospecting", "6", "6", "5", "4", "3", "2", "1", "0", "\u22121"], table.Rows[0].Cells);
        Assert.Equal(Tone.Attention, table.Rows[0].Tone);
        var chart = Block<Chart>(card);
        Assert.Equal(ChartKind.GroupedBar, chart.Kind);
        Assert.Equal(4, chart.Series.Count);
        Assert.Contains(card.Blocks.OfType<Paragraph>(), p => p.Text.StartsWith("Prospecting is shrinking", StringComparison.Ordinal));
    }

    [Fact]
    public void Forecast_card_lists_periods_with_bands_or_says_why_there_is_none()
    {
        var oct1 = new DateOnly(2026, 10, 1);
        Deal[] deals =
        [
            new("f1", "local:test", "anna", "F", 200_000, "EUR", "proposal", [new StageChange("proposal", oct1)], oct1, new DateOnly(2026, 11, 30), DealOutcome.Open, null, null),
            Won("anna", 130_000, new DateOnly(2026, 11, 2), new DateOnly(2026, 11, 20)),
        ];
        var team = Team("EUR");
        var card = KpiCards.Forecast("Anna", ForecastKpi.Compute(team, deals, AsOf), ForecastBands.Default, "EUR");
        var none = KpiCards.Forecast("Anna", ForecastKpi.Compute(team, [deals[1]], AsOf), ForecastBands.Default, "EUR");

        var table = card.Blocks.OfType<Table>().First();
        Assert.Equal(["2026-11", "100,000 EUR", "130,000 EUR", "30 %", "lead qualification needs work"], table.Rows[^1].Cells);
        Assert.Equal(Tone.Attention, table.Rows[^1].Tone);
        Assert.Equal("Lead qualification", Assert.IsType<Heading>(card.Blocks[0]).Badge!.Text);
        Assert.Contains(Block<FactList>(card).Facts, f => f.Label == "In control" && f.Value == "≤ 15 %");
        Assert.Equal("Anna: forecast 2026-11 off by 30 % (lead qualification needs work)", card.Summary);
        Assert.Contains(none.Blocks.OfType<Paragraph>(), p => p.Text.StartsWith("No deal has an expected close date", StringComparison.Ordinal));
        Assert.Equal("no forecast", none.Blocks.OfType<Table>().First().Rows[^1].Cells[1]);
    }

    [Fact]
    public void Value_and_deal_cards_use_the_team_currency_and_invariant_numbers()
    {
        var close = new DateOnly(2026, 11, 20);
        Deal[] deals = [Won("anna", 100_000, close.AddDays(-61), close), Won("anna", 150_000, close.AddDays(-183), close)];
        var start = new DateOnly(2026, 10, 5);
        var end = new DateOnly(2026, 11, 29);

        var value = Block<FactList>(KpiCards.CycleValue("Anna", DealKpis.ValuePerCycleMonth(deals, start, end), "NOK")).Facts.ToDictionary(f => f.Label, f => f.Value);
        var figures = Block<FactList>(KpiCards.DealFigures("Anna", DealKpis.Figures(deals, start, end), "NOK")).Facts.ToDictionary(f => f.Label, f => f.Value);

        Assert.Equal("31,188.52 NOK", value["Value per cycle-month"]);
        Assert.Equal("8.02 (244 days ÷ 30.44)", value["Cycle months"]);
        Assert.Equal("250,000 NOK", figures["Won value"]);
        Assert.Equal("125,000 NOK", figures["Average won deal"]);
        Assert.Equal("100 %", figures["Close rate"]);
        Assert.Equal("122 days", figures["Average cycle"]);
    }

    [Fact]
    public void Team_overview_sorts_attention_first_and_the_channel_version_names_nobody_in_trouble()
    {
        var people = new[]
        {
            Rep(Person("n", "Nora"), 10, 5, 100, 104, 108, 112, 116, 120, 124, 128),
            Rep(Person("d", "Dan"), 10, 5, 200, 180, 160, 140, 120, 100, 80, 60),
            Rep(Person("c", "Carl"), 10, 5, 100, 100, 100, 100, 100, 100, 100, 100),
        };
        var report = KpiEngine.ComputeTeam(Team(), people, AsOf);

        var managerCard = KpiCards.TeamOverview(report, channelSafe: false);
        var channelCard = KpiCards.TeamOverview(report, channelSafe: true);

        var rows = Block<Table>(managerCard).Rows;
        Assert.Equal(["Dan", "Carl", "Nora"], rows.Select(r => r.Cells[0]));
        Assert.Equal([Tone.Attention, Tone.Warning, Tone.Good], rows.Select(r => r.Tone));
        Assert.Equal(ReplyVisibility.Private, managerCard.Visibility);
        Assert.Equal("Nordic Sales: 1 in Danger, 1 in Crisis, 1 Normal", managerCard.Summary);

        Assert.Equal(ReplyVisibility.Conversation, channelCard.Visibility);
        Assert.Equal(["Nora"], Block<Table>(channelCard).Rows.Select(r => r.Cells[0]));
        var everything = AllText(channelCard);
        Assert.Contains("Nora", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("Dan", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("Carl", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("Danger", everything, StringComparison.Ordinal);
        Assert.Contains(channelCard.Blocks.OfType<Paragraph>(), p => p.Text.StartsWith("2 people need support this week", StringComparison.Ordinal));
        Assert.Empty(channelCard.Blocks.OfType<CoachingList>());
    }

    [Fact]
    public void Team_overview_warns_when_the_metric_set_is_out_of_bounds()
    {
        var team = Team() with { Metrics = [.. Defaults.Metrics.Where(m => m.Kind != MetricKind.Key)] };

        var card = KpiCards.TeamOverview(KpiEngine.ComputeTeam(team, [Rep(Person("n", "Nora"), 1, 1, 1, 2)], AsOf), channelSafe: false);

        Assert.Contains(card.Blocks.OfType<Paragraph>(), p => p.Tone == Tone.Warning && p.Text == "The team has 0 key statistics (ratios such as conversion); the method needs 2–4. Add 2.");
    }

    [Fact]
    public void Coaching_tones_follow_urgency()
    {
        var list = KpiCards.Coaching(
        [
            new CoachingSuggestion("a", "now", "x", CoachingUrgency.Intervene),
            new CoachingSuggestion("b", "soon", "y", CoachingUrgency.Support),
            new CoachingSuggestion("c", "keep", "z", CoachingUrgency.Reinforce),
        ]);

        Assert.Equal([Tone.Attention, Tone.Warning, Tone.Good], list.Items.Select(i => i.Tone));
        Assert.Equal("x", list.Items[0].Evidence);
    }

    [Theory]
    [InlineData(-0.1234, "\u221212.3 %/week")]
    [InlineData(0.04, "+4.0 %/week")]
    [InlineData(0.0, "0.0 %/week")]
    public void Relative_slopes_are_signed_with_a_true_minus(double fraction, string expected)
    {
        Assert.Equal(expected, CardFormat.PercentPerWeek(fraction));
    }
}
