using KpiBot.Domain;
using KpiBot.Kpis;

namespace KpiBot.Core.Tests;

/// <summary>Small builders for the domain records the KPI tests need.</summary>
internal static class TestData
{
    /// <summary>Friday 2026-12-04: the last complete week is 2026-W48 (Mon 2026-11-23 – Sun 2026-11-29).</summary>
    public static readonly DateOnly AsOf = new(2026, 12, 4);

    public static readonly DateTimeOffset CreatedAt = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static int counter;

    public static Team Team(TeamSettings? settings = null) => Defaults.NewTeam("team-1", "local:test", "Nordic Sales", CreatedAt, settings);

    public static Person Person(string id = "anna", string name = "Anna", params AwayPeriod[] away) =>
        new(id, "local:test", "team-1", name, Role.Rep, null, null, away, null, CreatedAt);

    public static DailyEntry Entry(string personId, DateOnly date, string metric, decimal value) =>
        new($"e{Interlocked.Increment(ref counter)}", "local:test", personId, date, metric, value, personId, "c1", CreatedAt);

    public static Deal Won(string ownerId, decimal value, DateOnly start, DateOnly close, string stage = "negotiation") =>
        new($"d{Interlocked.Increment(ref counter)}", "local:test", ownerId, "Acme", value, "SEK", stage, [new StageChange(stage, start)], start, null, DealOutcome.Won, close, null);

    public static Deal Lost(string ownerId, decimal value, DateOnly start, DateOnly close, string stage = "proposal") =>
        new($"d{Interlocked.Increment(ref counter)}", "local:test", ownerId, "Lostco", value, "SEK", stage, [new StageChange(stage, start)], start, null, DealOutcome.Lost, close, null);

    public static Deal Open(string ownerId, decimal value, DateOnly? expectedClose, params StageChange[] history) =>
        new($"d{Interlocked.Increment(ref counter)}", "local:test", ownerId, "Openco", value, "SEK", history[^1].Stage, history, history[0].Date, expectedClose, DealOutcome.Open, null, null);

    /// <summary>The last <paramref name="count"/> complete weeks as of <see cref="AsOf"/>.</summary>
    public static IReadOnlyList<IsoWeek> Weeks(int count = 8) => IsoWeeks.LastCompleteWeeks(AsOf, count);

    /// <summary>
    /// A person whose revenue won per week (oldest first, ending with the last complete week) is
    /// <paramref name="weeklyRevenue"/>: one won deal on each week's Wednesday, plus a zero "booked" entry on the first
    /// Monday so a week of zero revenue still counts as a logged week (without touching the funnel counts).
    /// </summary>
    public static PersonActivity RevenueSeries(Person person, params double[] weeklyRevenue)
    {
        var weeks = Weeks(weeklyRevenue.Length);
        var deals = new List<Deal>();
        for (var i = 0; i < weeklyRevenue.Length; i++)
        {
            if (weeklyRevenue[i] > 0)
            {
                var close = weeks[i].Monday.AddDays(2);
                deals.Add(Won(person.Id, (decimal)weeklyRevenue[i], close.AddDays(-30), close));
            }
        }

        return new PersonActivity(person, [Entry(person.Id, weeks[0].Monday, MetricKeys.Booked, 0)], deals);
    }

    /// <summary>A weekly series where every week counts.</summary>
    public static IReadOnlyList<WeekValue> Series(params double?[] values)
    {
        var weeks = Weeks(values.Length);
        return [.. values.Select((v, i) => new WeekValue(weeks[i].Label, weeks[i].Monday, v, v is null ? ActivityCalendar.Away : null))];
    }
}
