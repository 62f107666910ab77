using KpiBot.Conversation.Demo;
using KpiBot.Domain;
using KpiBot.Kpis;

namespace KpiBot.Tests.Conversation;

/// <summary><c>demo</c> produces the states it promises, checked through the KPI engine on what the store holds.</summary>
[Collection("Conversation store")]
public sealed class DemoTests
{
    private static readonly DateOnly Today = new(2026, 12, 4);

    private static async Task<(BotFixture Bot, TeamKpiReport Report, IReadOnlyList<PersonActivity> People)> RunDemo()
    {
        var bot = await new BotFixture().WithTeam();
        var response = await bot.Say("U_ADA", "Ada Admin", "demo");
        Assert.Contains("Demo team ready", ReplyText.All(response), StringComparison.Ordinal);
        var team = bot.Store.ListTeams(BotFixture.Ws).Single();
        var people = bot.Store.ListPeople(BotFixture.Ws).Where(p => p.Id.StartsWith(DemoTeam.IdPrefix, StringComparison.Ordinal)).ToList();
        var activity = KpiBot.Storage.KpiActivityLoader.Load(bot.Store, team, people, Today);
        return (bot, KpiEngine.ComputeTeam(team, activity, Today), activity);
    }

    [Fact]
    public async Task Demo_has_at_least_eight_people_and_twelve_weeks()
    {
        var (bot, _, people) = await RunDemo();
        using var _ = bot;
        Assert.True(people.Count >= 8);
        var firstDay = bot.Store.GetEntries(BotFixture.Ws, people.Select(p => p.Person.Id).ToList(), Today.AddDays(-400), Today).Min(e => e.Date);
        Assert.True(Today.DayNumber - firstDay.DayNumber >= 12 * 7, $"history starts {firstDay}");
        Assert.All(people.Where(p => p.Person.DisplayName != "Ida Sjöberg"), p => Assert.NotEmpty(p.Deals));
    }

    [Fact]
    public async Task Demo_states_come_out_as_promised()
    {
        var (bot, report, _) = await RunDemo();
        using var _ = bot;
        StatusState StateOf(string name) => report.People.Single(p => p.DisplayName == name).State;

        Assert.Equal(StatusState.Danger, StateOf("David Nilsson"));
        Assert.Equal(StatusState.Crisis, StateOf("Elin Åberg"));
        Assert.Equal(StatusState.Crisis, StateOf("Hassan Ali"));
        Assert.Equal(StatusState.Normal, StateOf("Anna Svensson"));
        Assert.Equal(StatusState.Normal, StateOf("Cecilia Lund"));
        Assert.Equal(StatusState.Normal, StateOf("Greta Berg"));
        Assert.True(report.People.Single(p => p.DisplayName == "Ida Sjöberg").LowConfidence);
        // Attention first: the Danger person heads the overview.
        Assert.Equal("David Nilsson", report.People[0].DisplayName);
    }

    [Fact]
    public async Task Demo_shows_a_funnel_bottleneck_a_shrinking_stage_and_a_working_forecast()
    {
        var (bot, report, people) = await RunDemo();
        using var _ = bot;
        var team = bot.Store.ListTeams(BotFixture.Ws).Single();
        var fredrik = people.Single(p => p.Person.DisplayName == "Fredrik Holm");
        var fredrikReport = KpiEngine.ComputePerson(team, fredrik, Today, report.Conversion);
        Assert.Equal((MetricKeys.Held, MetricKeys.Qualified), (fredrikReport.Conversion.Bottleneck!.From, fredrikReport.Conversion.Bottleneck.To));
        Assert.False(report.Conversion.HasFlaggedSteps);

        Assert.Contains(report.Forecast.Periods, p => p.Forecast > 0 && p.Actual > 0);
        Assert.True(report.Forecast.HasExpectedCloseDates);

        var david = KpiEngine.ComputePerson(team, people.Single(p => p.Person.DisplayName == "David Nilsson"), Today, report.Conversion);
        Assert.Equal(StatusState.Danger, david.Status.State);
        Assert.Contains(david.Coaching, c => c.Advice.Length > 0);
    }

    [Fact]
    public async Task Demo_is_one_undoable_change_and_refuses_to_run_twice()
    {
        var (bot, _, _) = await RunDemo();
        using var _ = bot;
        var again = await bot.Say("U_ADA", "Ada Admin", "demo");
        Assert.Contains("already", ReplyText.All(again), StringComparison.Ordinal);

        var undo = await bot.Say("U_ADA", "Ada Admin", "undo");
        Assert.Contains("Undone: demo team", ReplyText.All(undo), StringComparison.Ordinal);
        Assert.DoesNotContain(bot.Store.ListPeople(BotFixture.Ws), p => p.Id.StartsWith(DemoTeam.IdPrefix, StringComparison.Ordinal));
        Assert.Empty(bot.Store.GetDeals(BotFixture.Ws, null));
    }

    [Fact]
    public async Task Demo_is_for_admins()
    {
        using var bot = await new BotFixture().WithTeam();
        var response = await bot.Say("U_BOB", "Bob Berg", "demo");
        Assert.Contains("Only an admin", ReplyText.All(response), StringComparison.Ordinal);
        Assert.Equal(4 - 1, bot.Store.ListPeople(BotFixture.Ws).Count);
    }

    [Fact]
    public void Demo_is_deterministic_for_a_given_day()
    {
        var team = Defaults.NewTeam(TeamIds.Default, "w", "Team", BotFixture.Start);
        var a = DemoTeam.Generate("w", team, Today, "admin", BotFixture.Start);
        var b = DemoTeam.Generate("w", team, Today, "admin", BotFixture.Start);
        Assert.Equal(a.Entries.Select(e => (e.PersonId, e.Date, e.Metric, e.Value)), b.Entries.Select(e => (e.PersonId, e.Date, e.Metric, e.Value)));
        Assert.Equal(a.Deals.Select(d => (d.Name, d.Value, d.CloseDate)), b.Deals.Select(d => (d.Name, d.Value, d.CloseDate)));
    }
}
