using KpiBot.Domain;
using KpiBot.Kpis;
using KpiBot.Storage;
using KpiBot.Storage.LiteDb;

namespace KpiBot.Tests.Storage;

/// <summary>The team load (range scans, bulk first days) returns exactly what loading each person alone returns.</summary>
public sealed class KpiActivityLoaderTests
{
    private const string Ws = TempStore.Ws;
    private static readonly DateOnly AsOf = new(2026, 12, 3);

    private static readonly Person Carl = new("carl", Ws, TeamIds.Default, "Carl Ek", Role.Rep, "U_CARL", null, [], null, TempStore.Now);
    private static readonly Person Dora = new("dora", Ws, TeamIds.Default, "Dora Lind", Role.Rep, "U_DORA", null, [], null, TempStore.Now);

    private static Deal Deal(string id, string owner, DateOnly start, DealOutcome outcome = DealOutcome.Open, DateOnly? closed = null) =>
        new(id, Ws, owner, "Deal " + id, 10_000m, "SEK", "qualified", [new StageChange("qualified", start)], start, new(2027, 1, 31), outcome, closed, null);

    private static void Seed(LiteDbKpiStore store)
    {
        store.Apply(new ChangeSet(Ws, "anna", "seed-more-people", "people", TempStore.Now, [], [], [Carl, Dora], []));
        store.Apply(new ChangeSet(Ws, "anna", "seed-activity", "activity", TempStore.Now,
            [
                // Before the window (first day of carl; anna's first day is an older deal start).
                TempStore.Entry("anna", new(2025, 3, 10), MetricKeys.Booked, 2),
                TempStore.Entry("carl", new(2024, 2, 2), MetricKeys.Booked, 1),
                // In the window, and one after the as-of day.
                TempStore.Entry("anna", new(2026, 10, 2), MetricKeys.Held, 1),
                TempStore.Entry("anna", new(2026, 11, 20), MetricKeys.Booked, 4),
                TempStore.Entry("anna", new(2026, 12, 1), MetricKeys.Held, 3),
                TempStore.Entry("bob", new(2026, 12, 3), MetricKeys.Booked, 5),
                TempStore.Entry("anna", new(2026, 12, 4), MetricKeys.Booked, 9),
            ],
            [
                Deal("a-old-won", "anna", new(2024, 1, 15), DealOutcome.Won, new(2024, 5, 1)),
                Deal("a-open", "anna", new(2026, 10, 1)),
                Deal("a-lost", "anna", new(2026, 9, 1), DealOutcome.Lost, new(2026, 11, 15)),
                Deal("b-open", "bob", new(2026, 6, 1)),
                Deal("b-edge", "bob", new(2025, 9, 1), DealOutcome.Won, new(2025, 11, 1)),
                Deal("b-before-edge", "bob", new(2025, 8, 1), DealOutcome.Won, new(2025, 10, 31)),
            ],
            [], []));
    }

    private static void AssertSame(PersonActivity expected, PersonActivity actual)
    {
        Assert.Equal(expected.Person, actual.Person);
        Assert.Equal(expected.Entries, actual.Entries);
        Assert.Equal(expected.Deals.Select(d => d with { History = [] }), actual.Deals.Select(d => d with { History = [] }));
        Assert.Equal(expected.Deals.SelectMany(d => d.History), actual.Deals.SelectMany(d => d.History));
        Assert.Equal(expected.KnownFirstDay, actual.KnownFirstDay);
    }

    private static void AssertTeamEqualsPerPerson(IKpiStore store)
    {
        var team = store.FindTeam(Ws, TeamIds.Default)!;
        var people = store.ListPeople(Ws);
        Assert.Equal(4, people.Count);

        var together = KpiActivityLoader.Load(store, team, people, AsOf);
        Assert.Equal(people.Select(p => p.Id), together.Select(a => a.Person.Id));
        for (var i = 0; i < people.Count; i++)
        {
            AssertSame(KpiActivityLoader.Load(store, team, [people[i]], AsOf)[0], together[i]);
        }

        var byId = together.ToDictionary(a => a.Person.Id);
        Assert.Equal([new(2026, 10, 2), new(2026, 11, 20), new(2026, 12, 1)], byId["anna"].Entries.Select(e => e.Date));
        Assert.Equal(["a-lost", "a-open"], byId["anna"].Deals.Select(d => d.Id));
        Assert.Equal(new DateOnly(2024, 1, 15), byId["anna"].KnownFirstDay);
        Assert.Equal(["b-edge", "b-open"], byId["bob"].Deals.Select(d => d.Id));
        Assert.Equal(new DateOnly(2025, 8, 1), byId["bob"].KnownFirstDay);
        Assert.Empty(byId["carl"].Entries);
        Assert.Empty(byId["carl"].Deals);
        Assert.Equal(new DateOnly(2024, 2, 2), byId["carl"].KnownFirstDay);
        Assert.Empty(byId["dora"].Entries);
        Assert.Empty(byId["dora"].Deals);
        Assert.Null(byId["dora"].KnownFirstDay);

        var firstDays = store.FirstActivityDates(Ws, ["anna", "bob", "carl", "dora", "anna", "nobody"]);
        Assert.Equal(5, firstDays.Count);
        foreach (var (id, day) in firstDays)
        {
            Assert.Equal(store.FirstActivityDate(Ws, id), day);
        }
    }

    [Fact]
    public void Team_load_equals_the_per_person_load()
    {
        using var t = new TempStore();
        Seed(t.Store);
        AssertTeamEqualsPerPerson(t.Store);
    }

    [Fact]
    public void A_database_written_before_the_deal_indexes_gets_them_on_open()
    {
        using var t = new TempStore();
        Seed(t.Store);
        var deals = t.Context.Database.GetCollection(LiteDbKpiStore.Deals);
        Assert.True(deals.DropIndex(LiteDbKpiStore.DealOwnerCloseIndex));
        Assert.True(deals.DropIndex(LiteDbKpiStore.DealOwnerStartIndex));

        t.Reopen();

        AssertTeamEqualsPerPerson(t.Store);
    }

    [Fact]
    public void Deals_written_before_the_stored_range_keys_get_them_on_open()
    {
        using var t = new TempStore();
        Seed(t.Store);
        var expected = t.Store.GetDeals(Ws, null);
        // What an earlier version wrote: no stored range keys, expression indexes over OwnerKey, a WorkspaceId index.
        var deals = t.Context.Database.GetCollection(LiteDbKpiStore.Deals);
        deals.DropIndex(LiteDbKpiStore.DealOwnerCloseIndex);
        deals.DropIndex(LiteDbKpiStore.DealOwnerStartIndex);
        var old = deals.FindAll().ToList();
        foreach (var doc in old)
        {
            doc["OwnerKey"] = doc["WorkspaceId"].AsString + "\u001f" + doc["OwnerId"].AsString;
            doc.Remove("OwnerCloseKey");
            doc.Remove("OwnerStartKey");
        }
        deals.Update(old);
        deals.EnsureIndex(LiteDbKpiStore.DealOwnerStartIndex, "$.OwnerKey + '\u001f' + FORMAT($.StartDate, 'D8')");
        deals.EnsureIndex("WorkspaceId", "$.WorkspaceId");

        t.Reopen();

        var actual = t.Store.GetDeals(Ws, null);
        Assert.Equal(expected.Select(d => d with { History = [] }), actual.Select(d => d with { History = [] }));
        Assert.Equal(expected.SelectMany(d => d.History), actual.SelectMany(d => d.History));
        AssertTeamEqualsPerPerson(t.Store);
        var indexes = t.Context.Database.GetCollection("$indexes").Find("collection = 'deals'").Select(i => i["name"].AsString).ToList();
        Assert.DoesNotContain("WorkspaceId", indexes);
        Assert.Contains(LiteDbKpiStore.DealOwnerCloseIndex, indexes);
    }
}
