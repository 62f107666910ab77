using KpiBot.Domain;
using KpiBot.Kpis;

namespace KpiBot.Benchmarks.Kpis;

/// <summary>
/// A realistic team generated in memory with a fixed seed: every person logs a funnel on working days for two
/// years (booked ≥ held ≥ qualified ≥ proposals), takes two weeks of holiday a year, and runs about 1.5 new deals a
/// week through the default stages to a win, a loss or still open, with expected close dates.
/// </summary>
public static class SyntheticTeam
{
    /// <summary>The "as of" day of the benchmarks (a Friday).</summary>
    public static readonly DateOnly AsOf = new(2026, 12, 4);

    /// <summary>Generates <paramref name="people"/> people with <paramref name="years"/> years of history.</summary>
    public static (Team Team, IReadOnlyList<PersonActivity> People) Generate(int people, int years, int seed = 20261204)
    {
        var random = new Random(seed);
        var created = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var team = Defaults.NewTeam("team-bench", "local:bench", "Benchmark Sales", created);
        var first = AsOf.AddYears(-years);
        var stages = Defaults.Stages.Select(s => s.Key).ToArray();
        var result = new PersonActivity[people];
        var entryId = 0;
        var dealId = 0;
        for (var p = 0; p < people; p++)
        {
            var personId = "p" + p;
            var start = first.AddDays(random.Next(0, 90));
            var away = new List<AwayPeriod>();
            for (var y = 0; y < years; y++)
            {
                var from = start.AddDays((365 * y) + random.Next(150, 220));
                away.Add(new AwayPeriod(from, from.AddDays(13)));
            }

            var person = new Person(personId, "local:bench", team.Id, "Person " + p, Role.Rep, null, null, away, null, created);
            var skill = 0.6 + (random.NextDouble() * 0.6);
            var entries = new List<DailyEntry>(years * 260 * 4);
            var deals = new List<Deal>(years * 80);
            for (var day = start; day <= AsOf; day = day.AddDays(1))
            {
                if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday || person.IsAwayOn(day))
                {
                    continue;
                }

                var booked = random.Next(0, 7);
                var held = Thin(random, booked, 0.75 * skill);
                var qualified = Thin(random, held, 0.6 * skill);
                var proposals = Thin(random, qualified, 0.7 * skill);
                entries.Add(Entry(ref entryId, personId, day, MetricKeys.Booked, booked, created));
                entries.Add(Entry(ref entryId, personId, day, MetricKeys.Held, held, created));
                entries.Add(Entry(ref entryId, personId, day, MetricKeys.Qualified, qualified, created));
                entries.Add(Entry(ref entryId, personId, day, MetricKeys.Proposals, proposals, created));
                if (random.NextDouble() < 0.3)
                {
                    deals.Add(Deal(random, ref dealId, personId, day, stages, skill));
                }
            }

            result[p] = new PersonActivity(person, entries, deals);
        }

        return (team, result);
    }

    private static int Thin(Random random, int count, double probability)
    {
        var kept = 0;
        for (var i = 0; i < count; i++)
        {
            if (random.NextDouble() < probability)
            {
                kept++;
            }
        }

        return kept;
    }

    private static DailyEntry Entry(ref int id, string personId, DateOnly day, string metric, int value, DateTimeOffset at) =>
        new("e" + id++, "local:bench", personId, day, metric, value, personId, "c", at);

    private static Deal Deal(Random random, ref int id, string ownerId, DateOnly start, string[] stages, double skill)
    {
        var history = new List<StageChange> { new(stages[0], start) };
        var day = start;
        var reached = 0;
        while (reached < stages.Length - 1 && random.NextDouble() < 0.55 * skill + 0.2)
        {
            day = day.AddDays(random.Next(5, 30));
            reached++;
            history.Add(new StageChange(stages[reached], day));
        }

        var close = day.AddDays(random.Next(5, 40));
        var expected = start.AddDays(random.Next(30, 120));
        var outcome = close > SyntheticTeam.AsOf ? DealOutcome.Open : random.NextDouble() < 0.25 + (0.15 * reached) ? DealOutcome.Won : DealOutcome.Lost;
        var value = (decimal)(random.Next(10, 500) * 1000);
        var openHistory = history.Where(h => h.Date <= SyntheticTeam.AsOf).ToArray();
        return new Deal(
            "d" + id++,
            "local:bench",
            ownerId,
            "Deal " + id,
            value,
            "SEK",
            openHistory[^1].Stage,
            openHistory,
            start,
            expected,
            outcome,
            outcome == DealOutcome.Open ? null : close,
            null);
    }
}
