using KpiBot.Cards;
using KpiBot.Charts;
using KpiBot.Domain;
using KpiBot.Kpis;
using KpiBot.Rendering;
using KpiBot.Rendering.BlockKit;
using KpiBot.Replies;

namespace KpiBot.Tests.Cards;

/// <summary>The KPI cards survive the real renderers: Slack's block limit and a readable text fallback.</summary>
public class KpiCardsRenderingTests
{
    private static readonly DateOnly AsOf = new(2026, 12, 4);
    private static readonly DateTimeOffset Created = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private sealed class FixedChartImages : IChartImages
    {
        public string UrlFor(Chart chart) => "https://kpibot.example/charts/test.png";

        public string PathFor(Chart chart) => "/charts/test.png";
    }

    private static PersonKpiReport Report()
    {
        var team = Defaults.NewTeam("team-1", "local:test", "Nordic Sales", Created);
        var weeks = IsoWeeks.LastCompleteWeeks(AsOf, 12);
        var person = new Person("dan", "local:test", "team-1", "Dan", Role.Rep, null, null, [], null, Created);
        var entries = weeks.SelectMany((w, i) => new[]
        {
            new DailyEntry($"b{i}", "local:test", "dan", w.Monday, MetricKeys.Booked, 10, "dan", "c", Created),
            new DailyEntry($"h{i}", "local:test", "dan", w.Monday, MetricKeys.Held, 6, "dan", "c", Created),
        }).ToArray();
        var deals = weeks.Select((w, i) => new Deal($"d{i}", "local:test", "dan", "Acme", 20_000 - (1_500 * i), "SEK", "negotiation", [new StageChange("prospecting", w.Monday.AddDays(-40)), new StageChange("negotiation", w.Monday.AddDays(-10))], w.Monday.AddDays(-40), w.Monday.AddDays(2), DealOutcome.Won, w.Monday.AddDays(2), null)).ToArray();
        return KpiEngine.ComputePerson(team, new PersonActivity(person, entries, deals), AsOf);
    }

    [Fact]
    public void Full_person_stats_fit_slacks_fifty_block_limit()
    {
        var message = new BlockKitRenderer(new FixedChartImages()).Render(KpiCards.PersonStats(Report(), ForecastBands.Default));

        Assert.InRange(message.Blocks.Count, 1, 50);
        Assert.StartsWith("Dan: Danger", message.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Trend_card_reads_as_text()
    {
        var text = new TextRenderer().Render(KpiCards.Trend(Report()));

        Assert.Contains("Dan: revenue won trend [Danger]", text, StringComparison.Ordinal);
        Assert.Contains("Relative slope", text, StringComparison.Ordinal);
        Assert.Contains("Mann–Kendall", text, StringComparison.Ordinal);
        Assert.Contains("Intervene now", text, StringComparison.Ordinal);
    }
}
