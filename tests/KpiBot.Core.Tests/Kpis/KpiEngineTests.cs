using System.Text.Json;
using KpiBot.Domain;
using KpiBot.Kpis;

namespace KpiBot.Core.Tests.Kpis;

public class KpiEngineTests
{
    private static PersonActivity WithFunnel(PersonActivity activity, decimal booked, decimal held)
    {
        var day = TestData.Weeks()[3].Monday;
        return activity with
        {
            Entries = [.. activity.Entries, TestData.Entry(activity.Person.Id, day, MetricKeys.Booked, booked), TestData.Entry(activity.Person.Id, day, MetricKeys.Held, held)],
        };
    }

    private static IReadOnlyList<PersonActivity> People() =>
    [
        TestData.RevenueSeries(TestData.Person("normal", "Nora"), 100, 104, 108, 112, 116, 120, 124, 128),
        WithFunnel(TestData.RevenueSeries(TestData.Person("danger", "Dan"), 200, 180, 160, 140, 120, 100, 80, 60), 40, 10),
        TestData.RevenueSeries(TestData.Person("crisis", "Cris"), 100, 100, 100, 100, 100, 100, 100, 100),
        // Lowe started logging in week 5 of 8: four points (0, 0, 100, 150), Normal with low confidence.
        new PersonActivity(
            TestData.Person("low", "Lowe"),
            [TestData.Entry("low", TestData.Weeks()[4].Monday, MetricKeys.Booked, 0)],
            [TestData.Won("low", 100, TestData.Weeks()[6].Monday, TestData.Weeks()[6].Monday.AddDays(1)), TestData.Won("low", 150, TestData.Weeks()[7].Monday, TestData.Weeks()[7].Monday.AddDays(1))]),
        new PersonActivity(TestData.Person("new", "Newt"), [], []),
        TestData.RevenueSeries(TestData.Person("danger2", "Ada"), 100, 90, 80, 70, 60, 50, 40, 30),
    ];

    [Fact]
    public void Team_overview_puts_people_who_need_attention_first()
    {
        var report = KpiEngine.ComputeTeam(TestData.Team(), People(), TestData.AsOf);

        // Ada and Dan both fall 15.4 %/week: equal slopes are ordered by name.
        Assert.Equal(["danger2", "danger", "crisis", "low", "normal", "new"], report.People.Select(p => p.PersonId));
        Assert.Equal(
            [StatusState.Danger, StatusState.Danger, StatusState.Crisis, StatusState.Normal, StatusState.Normal, StatusState.NotYetAStatistic],
            report.People.Select(p => p.State));
        Assert.True(report.People[3].LowConfidence);
        Assert.Equal(4, report.People[3].Points);
    }

    [Fact]
    public void Team_totals_add_up_everyone()
    {
        var report = KpiEngine.ComputeTeam(TestData.Team(), People(), TestData.AsOf);

        // Week 1: 100 + 200 + 100 + 100 (Ada) = 500; Lowe and Newt do not count yet.
        Assert.Equal(500, report.Status.Weeks[0].Value);
        Assert.Equal(128 + 60 + 100 + 150 + 30, report.Status.Weeks[^1].Value);
        Assert.Equal(40m, report.Conversion.Phases[0].Count);
        Assert.True(report.MetricSet.WithinBounds);
        Assert.Equal("SEK", report.Currency);
    }

    [Fact]
    public void A_persons_bottleneck_is_judged_against_the_team()
    {
        var people = People().Append(WithFunnel(TestData.RevenueSeries(TestData.Person("good", "Goodie"), 1, 1), 60, 50)).ToArray();
        var team = TestData.Team();
        var teamConversion = KpiEngine.ComputeTeamConversion(team, people, TestData.AsOf);

        var dan = KpiEngine.ComputePerson(team, people[1], TestData.AsOf, teamConversion);
        var overview = KpiEngine.ComputeTeam(team, people, TestData.AsOf);

        Assert.Equal(0.6, teamConversion.Rates[0].Rate!.Value, 9); // (10 + 50) ÷ (40 + 60)
        Assert.Equal("booked → held", dan.Conversion.Bottleneck!.Label);
        Assert.Equal("booked → held", overview.People.Single(p => p.PersonId == "danger").Bottleneck);
        Assert.Contains(dan.Coaching, c => c.Rule == "bottleneck.booked-held");
    }

    [Fact]
    public void Person_report_collects_every_kpi()
    {
        var report = KpiEngine.ComputePerson(TestData.Team(), People()[1], TestData.AsOf);

        Assert.Equal(("danger", "Dan", "SEK"), (report.PersonId, report.DisplayName, report.Currency));
        Assert.Equal(StatusState.Danger, report.Status.State);
        Assert.Equal(8, report.Deals.Won);
        Assert.Equal(1040m, report.Deals.WonValue);
        Assert.Equal(8, report.CycleValue.DealsWon);
        Assert.Equal(new DateOnly(2026, 9, 7), report.FirstLoggedDay);
        Assert.Equal(KpiBot.Coaching.CoachingUrgency.Intervene, report.Coaching[0].Urgency);
    }

    [Fact]
    public void Reports_serialize_to_camel_case_json_with_named_states()
    {
        var report = KpiEngine.ComputeTeam(TestData.Team(), People(), TestData.AsOf);

        var json = JsonSerializer.Serialize(report, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;

        Assert.Equal("2026-12-04", root.GetProperty("asOf").GetString());
        Assert.Equal("Danger", root.GetProperty("people")[0].GetProperty("state").GetString());
        Assert.Equal("Ada", root.GetProperty("people")[0].GetProperty("displayName").GetString());
        Assert.Equal(-10 / 65.0, root.GetProperty("people")[0].GetProperty("relativeSlopePerWeek").GetDouble(), 9);
        Assert.Equal("Month", root.GetProperty("forecast").GetProperty("periodKind").GetString());
        Assert.Equal("booked → held", root.GetProperty("conversion").GetProperty("rates")[0].GetProperty("label").GetString());
        Assert.True(root.GetProperty("status").TryGetProperty("mannKendall", out var mk) && mk.TryGetProperty("pValue", out _));
    }
}
