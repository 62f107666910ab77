using System.Globalization;
using KpiBot.Domain;
using KpiBot.Storage;

namespace KpiBot.LoadDriver;

/// <summary>
/// Fills a store with a realistic workload: <c>people</c> salespeople in teams of 100, each with weekly logged
/// numbers (the week's totals on Fridays, or every working day with <c>--daily</c>) and about one won deal a week for <c>years</c> years, written through
/// <see cref="IKpiStore"/> exactly as the bot would store them (one change set per person).
/// </summary>
internal static class StoreSeeder
{
    private const int TeamSize = 100;

    /// <summary>The chat user id of seeded person <paramref name="index"/>.</summary>
    public static string PlatformUserId(int index) => "load-user-" + index.ToString("D4", CultureInfo.InvariantCulture);

    /// <summary>The display name of seeded person <paramref name="index"/>.</summary>
    public static string DisplayName(int index) => "Load Person " + index.ToString("D4", CultureInfo.InvariantCulture);

    /// <summary>What the store holds for the load workspace (people; entries and deals of the first person as a sample).</summary>
    public static string Describe(IServiceProvider services, string workspace)
    {
        var store = services.GetRequiredService<IKpiStore>();
        var workspaceId = "local:" + workspace;
        var people = store.ListPeople(workspaceId);
        var withHistory = people.Count(p => store.FirstActivityDate(workspaceId, p.Id) is not null);
        return string.Create(CultureInfo.InvariantCulture, $"Store holds {people.Count} people in {workspaceId}, {withHistory} of them with logged history.");
    }

    public static string Seed(IServiceProvider services, string workspace, int people, int years, bool daily, TextWriter? progress = null)
    {
        var store = services.GetRequiredService<IKpiStore>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var workspaceId = "local:" + workspace;
        store.EnsureWorkspace(workspaceId, Platform.Local, workspace, now);
        // Every change set has a fixed source id, so a seed that was interrupted resumes: what is stored
        // already comes back as a duplicate at once and only the rest is written.

        var teamCount = (people + TeamSize - 1) / TeamSize;
        var teams = Enumerable.Range(0, teamCount)
            .Select(t => Defaults.NewTeam("load-team-" + t.ToString(CultureInfo.InvariantCulture), workspaceId, "Load team " + (t + 1).ToString(CultureInfo.InvariantCulture), now))
            .ToList();
        var persons = Enumerable.Range(0, people).Select(i => new Person(
            "load-person-" + i.ToString("D4", CultureInfo.InvariantCulture),
            workspaceId,
            teams[i / TeamSize].Id,
            DisplayName(i),
            i % TeamSize == 0 ? Role.Manager : Role.Rep,
            PlatformUserId(i),
            null,
            [],
            null,
            now)).ToList();
        store.Apply(new ChangeSet(workspaceId, persons[0].Id, "load-seed-people", $"{people} people in {teamCount} teams", now, [], [], persons, teams));

        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var first = today.AddDays(-365 * years);
        var entries = 0L;
        var entryTime = TimeSpan.Zero;
        var dealTime = TimeSpan.Zero;
        var deals = 0L;
        foreach (var person in persons)
        {
            var random = new Random(person.Id.GetHashCode(StringComparison.Ordinal));
            var skill = 0.6 + random.NextDouble();
            var personEntries = new List<DailyEntry>();
            var personDeals = new List<Deal>();
            for (var day = first; day < today; day = day.AddDays(1))
            {
                if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
                {
                    continue;
                }

                // By default the week's numbers are logged on Fridays (one entry per metric, what a rep who logs
                // once a week stores); --daily logs every working day (five times the entries, the worst case).
                if (daily || day.DayOfWeek == DayOfWeek.Friday)
                {
                    var share = daily ? 5 : 1;
                    var booked = random.Next(5, (int)(25 * skill) + 6) / share;
                    var held = Math.Min(booked, random.Next(3, (int)(18 * skill) + 4) / share);
                    var qualified = Math.Min(held, random.Next(1, (int)(9 * skill) + 2) / share);
                    var proposals = Math.Min(qualified, random.Next(0, (int)(5 * skill) + 1) / share);
                    foreach (var (metric, value) in new[] { (MetricKeys.Booked, booked), (MetricKeys.Held, held), (MetricKeys.Qualified, qualified), (MetricKeys.Proposals, proposals) })
                    {
                        if (value > 0)
                        {
                            personEntries.Add(new DailyEntry(string.Empty, workspaceId, person.Id, day, metric, value, person.Id, string.Empty, now));
                        }
                    }
                }

                if (day.DayOfWeek == DayOfWeek.Thursday && random.NextDouble() < 0.8)
                {
                    var start = day.AddDays(-random.Next(20, 120));
                    var value = Math.Round((decimal)(20_000 + (random.NextDouble() * 180_000 * skill)), 0);
                    personDeals.Add(new Deal(
                        $"{person.Id}-deal-{day:yyyyMMdd}",
                        workspaceId,
                        person.Id,
                        $"Customer {random.Next(1, 5000).ToString(CultureInfo.InvariantCulture)}",
                        value,
                        "SEK",
                        "won",
                        [new StageChange("prospecting", start), new StageChange("proposal", start.AddDays(10))],
                        start,
                        day,
                        DealOutcome.Won,
                        day,
                        $"load-{person.Id}-{day:yyyyMMdd}"));
                }
            }

            // Entries through the normal change path; deals through the bulk import path (as a CRM import stores them).
            var watch = System.Diagnostics.Stopwatch.StartNew();
            store.Apply(ChangeSet.Entries(workspaceId, person.Id, "load-seed-" + person.Id, "seeded history", now, personEntries));
            entryTime += watch.Elapsed;
            watch.Restart();
            store.UpsertDealsByExternalId(workspaceId, person.Id, "load-seed-deals-" + person.Id, "seeded deals", personDeals, [], now);
            dealTime += watch.Elapsed;
            if (progress is not null && (persons.IndexOf(person) + 1) % 100 == 0)
            {
                progress.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  seeded {persons.IndexOf(person) + 1} of {people} people"));
            }

            entries += personEntries.Count;
            deals += personDeals.Count;
        }

        return string.Create(CultureInfo.InvariantCulture, $"seeded {people} people, {entries:N0} entries, {deals:N0} won deals over {years} years; entries {entryTime.TotalSeconds:0.0} s, deals {dealTime.TotalSeconds:0.0} s");
    }
}
