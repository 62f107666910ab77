using KpiBot.Domain;

namespace KpiBot.Conversation.Demo;

/// <summary>How one generated salesperson behaves, chosen so every card has something to show.</summary>
/// <param name="RevenueSlope">Relative change of weekly revenue per week across the trend window (−0.14 = Danger, −0.04 = Crisis, +0.05 = Normal).</param>
/// <param name="BookedPerWeek">Meetings booked in an average week.</param>
/// <param name="HeldRate">Share of booked meetings held.</param>
/// <param name="QualifiedRate">Share of held meetings that became qualified leads (a low one is a bottleneck).</param>
/// <param name="ProposalRate">Share of qualified leads that got a proposal.</param>
/// <param name="WeeksActive">Complete weeks of history (a new hire has few: "low confidence").</param>
/// <param name="AwayWeeksAgo">When set, the person was away for the whole week this many weeks back.</param>
public sealed record DemoProfile(
    string Key,
    string Name,
    Role Role,
    double RevenueSlope,
    decimal WeeklyRevenue,
    double BookedPerWeek,
    double HeldRate,
    double QualifiedRate,
    double ProposalRate,
    int WeeksActive,
    int? AwayWeeksAgo);

/// <summary>
/// Generates the <c>demo</c> team: nine people, fourteen complete weeks of daily numbers plus the current week,
/// won deals with full stage histories and expected close dates (so the weighted forecast has something to
/// check), open and lost deals. Everything is relative to the given local today and uses a fixed seed, so the
/// same day always gives the same team. Who is in which state is by design:
/// David Danger (sharp decline), Elin and Hassan Crisis (stagnation), Fredrik a held→qualified bottleneck,
/// Greta away one week, Ida a new hire with three weeks (low confidence), the rest Normal.
/// </summary>
public static class DemoTeam
{
    /// <summary>The fixed seed: the demo is the same for everyone on the same day.</summary>
    public const int Seed = 20261204;

    /// <summary>Complete weeks of history generated.</summary>
    public const int Weeks = 14;

    /// <summary>Prefix of every generated id, so a second <c>demo</c> can tell the team is already there.</summary>
    public const string IdPrefix = "demo-";

    /// <summary>The generated people and how they behave.</summary>
    public static IReadOnlyList<DemoProfile> Profiles { get; } =
    [
        new("anna", "Anna Svensson", Role.Rep, +0.05, 60_000m, 14, 0.80, 0.55, 0.65, Weeks, null),
        new("bjorn", "Björn Ek", Role.Manager, +0.03, 55_000m, 12, 0.78, 0.50, 0.60, Weeks, null),
        new("cecilia", "Cecilia Lund", Role.Rep, +0.06, 48_000m, 13, 0.82, 0.52, 0.62, Weeks, null),
        new("david", "David Nilsson", Role.Rep, -0.14, 70_000m, 12, 0.70, 0.45, 0.55, Weeks, null),
        new("elin", "Elin Åberg", Role.Rep, -0.04, 52_000m, 11, 0.75, 0.48, 0.60, Weeks, null),
        new("fredrik", "Fredrik Holm", Role.Rep, +0.04, 40_000m, 16, 0.80, 0.18, 0.70, Weeks, null),
        new("greta", "Greta Berg", Role.Rep, +0.05, 45_000m, 12, 0.80, 0.50, 0.60, Weeks, 4),
        new("hassan", "Hassan Ali", Role.Rep, -0.02, 50_000m, 12, 0.76, 0.50, 0.58, Weeks, null),
        new("ida", "Ida Sjöberg", Role.Rep, +0.08, 30_000m, 10, 0.80, 0.50, 0.60, 3, null),
    ];

    /// <summary>Generated records for one workspace and team.</summary>
    public sealed record Generated(IReadOnlyList<Person> People, IReadOnlyList<DailyEntry> Entries, IReadOnlyList<Deal> Deals);

    /// <summary>Generates the team for <paramref name="workspaceId"/> as of the local day <paramref name="today"/>.</summary>
    public static Generated Generate(string workspaceId, Team team, DateOnly today, string authorId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(team);
        var random = new Random(Seed);
        var stages = team.Stages.OrderBy(s => s.Order).ToList();
        var currentMonday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        var firstMonday = currentMonday.AddDays(-7 * Weeks);
        var people = new List<Person>();
        var entries = new List<DailyEntry>();
        var deals = new List<Deal>();
        var manager = IdPrefix + "bjorn";

        foreach (var profile in Profiles)
        {
            var personId = IdPrefix + profile.Key;
            var away = profile.AwayWeeksAgo is { } ago
                ? new[] { new AwayPeriod(currentMonday.AddDays(-7 * ago), currentMonday.AddDays((-7 * ago) + 6)) }
                : [];
            people.Add(new Person(personId, workspaceId, team.Id, profile.Name, profile.Role, null, null, away, profile.Role == Role.Manager ? null : manager, now));

            var startWeek = Weeks - profile.WeeksActive;
            var personStart = firstMonday.AddDays(7 * startWeek);
            var dealNumber = 0;
            for (var week = startWeek; week <= Weeks; week++)
            {
                var monday = firstMonday.AddDays(7 * week);
                var isCurrent = week == Weeks;
                if (away.Length > 0 && away[0].Contains(monday))
                {
                    continue;
                }
                // The trend window is the last 8 complete weeks (index 6..13); k is centred on it, so the relative
                // slope over the window is RevenueSlope whatever the earlier weeks did.
                var k = week - (Weeks - 8) - 3.5;
                var activityFactor = Math.Max(0.25, 1 + (profile.RevenueSlope * 0.6 * k));
                var days = isCurrent ? Math.Min(5, today.DayNumber - monday.DayNumber) : 5;
                AddWeekEntries(entries, random, workspaceId, personId, authorId, monday, days, profile, activityFactor, now);
                if (isCurrent)
                {
                    continue;
                }

                // One or two wins a week whose values add up to the week's revenue on the trend line (±6 % noise).
                var revenue = (double)profile.WeeklyRevenue * Math.Max(0.15, 1 + (profile.RevenueSlope * k)) * (0.94 + (random.NextDouble() * 0.12));
                var wins = revenue > (double)profile.WeeklyRevenue * 1.1 ? 2 : 1;
                for (var w = 0; w < wins; w++)
                {
                    var value = RoundTo(revenue / wins, 1000);
                    var close = monday.AddDays(random.Next(0, 5));
                    deals.Add(WonDeal(workspaceId, personId, $"{personId}-{++dealNumber}", Company(random), value, team.Settings.Currency, stages, close, personStart, random));
                }
                // Every third week a deal is lost, for close rates and forecast accuracy.
                if (week % 3 == 0)
                {
                    var close = monday.AddDays(random.Next(0, 5));
                    var lost = WonDeal(workspaceId, personId, $"{personId}-{++dealNumber}", Company(random), RoundTo((double)profile.WeeklyRevenue * 0.8, 1000), team.Settings.Currency, stages, close, personStart, random);
                    deals.Add(lost with { Outcome = DealOutcome.Lost });
                }
            }

            // The open pipeline: a declining person stopped prospecting (a shrinking stage 0), others keep adding.
            var openDeals = profile.RevenueSlope < -0.1 ? 2 : 5;
            for (var o = 0; o < openDeals; o++)
            {
                var startedDaysAgo = profile.RevenueSlope < -0.1 ? 50 + (o * 10) : 3 + (o * 9);
                var start = today.AddDays(-startedDaysAgo) < personStart ? personStart : today.AddDays(-startedDaysAgo);
                var stageIndex = Math.Min(stages.Count - 1, o % stages.Count);
                var history = new List<StageChange>();
                for (var s = 0; s <= stageIndex; s++)
                {
                    history.Add(new StageChange(stages[s].Key, start.AddDays(s * 4)));
                }
                deals.Add(new Deal(
                    $"{personId}-{++dealNumber}", workspaceId, personId, Company(random), RoundTo((double)profile.WeeklyRevenue * (0.8 + random.NextDouble()), 1000),
                    team.Settings.Currency, stages[stageIndex].Key, history, start, today.AddDays(20 + (o * 15)), DealOutcome.Open, null, null));
            }
        }
        return new Generated(people, entries, deals);
    }

    private static void AddWeekEntries(List<DailyEntry> entries, Random random, string workspaceId, string personId, string authorId, DateOnly monday, int days, DemoProfile profile, double activityFactor, DateTimeOffset now)
    {
        if (days <= 0)
        {
            return;
        }
        var booked = (int)Math.Round(profile.BookedPerWeek * activityFactor * days / 5.0 * (0.9 + (random.NextDouble() * 0.2)));
        var held = (int)Math.Round(booked * profile.HeldRate);
        var qualified = (int)Math.Round(held * profile.QualifiedRate);
        // At least two proposals when there are leads, so the weekly wins never outnumber them; never more than the leads.
        var proposals = Math.Max((int)Math.Round(qualified * profile.ProposalRate), Math.Min(qualified, 2));
        foreach (var (metric, total) in new[] { (MetricKeys.Booked, booked), (MetricKeys.Held, held), (MetricKeys.Qualified, qualified), (MetricKeys.Proposals, proposals) })
        {
            // Spread the week's total over the working days, a little unevenly as real weeks are.
            var left = total;
            for (var d = 0; d < days && left > 0; d++)
            {
                var share = d == days - 1 ? left : Math.Min(left, (int)Math.Round((double)total / days * (0.6 + (random.NextDouble() * 0.8))));
                if (share <= 0)
                {
                    continue;
                }
                left -= share;
                entries.Add(new DailyEntry($"{personId}-{metric}-{monday.AddDays(d).DayNumber}", workspaceId, personId, monday.AddDays(d), metric, share, authorId, string.Empty, now));
            }
        }
    }

    private static Deal WonDeal(string workspaceId, string ownerId, string id, string name, decimal value, string currency, IReadOnlyList<StageDefinition> stages, DateOnly close, DateOnly earliestStart, Random random)
    {
        // A sales cycle of 4 to 12 weeks (shorter for a new hire: never before they started), passing every stage;
        // the expected close was set near the real one.
        var cycleDays = Math.Max(1, Math.Min(28 + random.Next(0, 57), close.DayNumber - earliestStart.DayNumber));
        var start = close.AddDays(-cycleDays);
        var history = new List<StageChange>();
        for (var s = 0; s < stages.Count; s++)
        {
            history.Add(new StageChange(stages[s].Key, start.AddDays(cycleDays * s / (stages.Count + 1))));
        }
        var expected = close.AddDays(random.Next(-6, 10));
        return new Deal(id, workspaceId, ownerId, name, value, currency, stages[^1].Key, history, start, expected, DealOutcome.Won, close, null);
    }

    private static readonly string[] Companies =
    [
        "Acme", "Nordic Tools", "Fjord Foods", "Lake Logistics", "Birch Bank", "Svea Steel", "Oak Analytics", "Polar Print",
        "Granite Group", "Harbor Health", "Aurora Energy", "Pine Pharma", "Baltic Bikes", "Summit Software", "Delta Dairy", "Viking Venues",
    ];

    private static string Company(Random random) => Companies[random.Next(Companies.Length)] + " " + (char)('A' + random.Next(0, 26)) + random.Next(10, 99);

    private static decimal RoundTo(double value, int step) => Math.Max(step, (decimal)Math.Round(value / step) * step);
}
