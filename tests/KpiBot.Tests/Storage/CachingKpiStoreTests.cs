using System.Text.Json;
using KpiBot.Domain;
using KpiBot.Kpis;
using KpiBot.Storage;
using KpiBot.Storage.LiteDb;

namespace KpiBot.Tests.Storage;

/// <summary>
/// The activity cache never serves stale data: every write path is visible in the very next read, and any mix of
/// writes and reads gives exactly what the uncached store gives.
/// </summary>
public sealed class CachingKpiStoreTests
{
    private const string Ws = TempStore.Ws;
    private static readonly DateOnly Today = DateOnly.FromDateTime(TempStore.Now.UtcDateTime);

    private static readonly Person Carl = new("carl", Ws, TeamIds.Default, "Carl Ek", Role.Rep, "U_CARL", null, [], null, TempStore.Now);

    private static Deal Deal(string id, string owner, DateOnly start, DealOutcome outcome = DealOutcome.Open, DateOnly? closed = null, string? externalId = null) =>
        new(id, Ws, owner, "Deal " + id, 10_000m, "SEK", "qualified", [new StageChange("qualified", start)], start, new(2027, 1, 31), outcome, closed, externalId);

    private static ChangeSet Log(string person, string source, params (DateOnly Day, string Metric, decimal Value)[] numbers) =>
        ChangeSet.Entries(Ws, person, source, "log", TempStore.Now, numbers.Select(n => TempStore.Entry(person, n.Day, n.Metric, n.Value)).ToList());

    /// <summary>What the KPI engine gets for each person, as comparable text (records hold lists, compared by reference).</summary>
    private static string Snapshot(IKpiStore store, DateOnly asOf)
    {
        var team = store.FindTeam(Ws, TeamIds.Default)!;
        var activity = KpiActivityLoader.Load(store, team, store.ListPeople(Ws).OrderBy(p => p.Id, StringComparer.Ordinal).ToList(), asOf);
        return JsonSerializer.Serialize(activity.Select(a => new
        {
            a.Person.Id,
            Entries = a.Entries.OrderBy(e => e.Date).ThenBy(e => e.Id, StringComparer.Ordinal).ToList(),
            Deals = a.Deals.ToList(),
            a.KnownFirstDay,
        }));
    }

    private static (TempStore Temp, CachingKpiStore Cached) NewStore(long budget = CachingKpiStore.DefaultBudgetBytes)
    {
        var temp = new TempStore();
        temp.Store.Apply(new ChangeSet(Ws, "anna", "seed-carl", "people", TempStore.Now, [], [], [Carl], []));
        return (temp, new CachingKpiStore(temp.Store, temp.Clock, budget));
    }

    [Fact]
    public void A_logged_number_shows_in_the_next_read_of_a_cached_person_and_is_gone_after_undo()
    {
        var (temp, cached) = NewStore();
        using var _ = temp;
        cached.Apply(Log("anna", "m1", (Today.AddDays(-3), MetricKeys.Booked, 2)));
        var before = cached.GetEntries(Ws, ["anna"], Today.AddDays(-60), Today);
        Assert.Single(before);
        Assert.Equal((1, 1), (cached.CachedPeople, cached.GetEntries(Ws, ["anna"], Today.AddDays(-60), Today).Count));

        var logged = cached.Apply(Log("anna", "m2", (Today, MetricKeys.Held, 3)));
        var after = cached.GetEntries(Ws, ["anna"], Today.AddDays(-60), Today);
        Assert.Equal([2m, 3m], after.Select(e => e.Value));

        cached.Undo(Ws, logged.Change.Id, TempStore.Now);
        Assert.Equal([2m], cached.GetEntries(Ws, ["anna"], Today.AddDays(-60), Today).Select(e => e.Value));
    }

    [Fact]
    public void A_logged_number_is_added_to_the_cached_window_without_reading_the_store_again_and_equals_a_fresh_read()
    {
        var (temp, cached) = NewStore();
        using var _ = temp;
        cached.Apply(Log("anna", "m1", (Today.AddDays(-8), MetricKeys.Booked, 2)));
        cached.GetEntries(Ws, ["anna"], Today.AddDays(-90), Today);
        cached.FirstActivityDates(Ws, ["anna"]);
        var misses = cached.Counts.Misses;

        cached.Apply(Log("anna", "m2", (Today, MetricKeys.Held, 3), (Today.AddDays(-40), MetricKeys.Booked, 1)));
        var window = cached.GetEntries(Ws, ["anna"], Today.AddDays(-90), Today);
        var firstDay = cached.FirstActivityDates(Ws, ["anna"])["anna"];

        Assert.Equal(misses, cached.Counts.Misses);
        Assert.Equal(Json(temp.Store.GetEntries(Ws, ["anna"], Today.AddDays(-90), Today)), Json(window));
        Assert.Equal(Today.AddDays(-40), firstDay);
    }

    [Fact]
    public void A_trend_window_sees_the_new_week_and_the_first_day_moves_back_when_older_history_is_logged()
    {
        var (temp, cached) = NewStore();
        using var _ = temp;
        cached.Apply(Log("carl", "m1", (Today.AddDays(-10), MetricKeys.Booked, 4)));
        var team = cached.FindTeam(Ws, TeamIds.Default)!;
        var first = KpiActivityLoader.Load(cached, team, [Carl], Today).Single();
        Assert.Equal(Today.AddDays(-10), first.KnownFirstDay);

        cached.Apply(Log("carl", "m2", (Today.AddDays(-300), MetricKeys.Booked, 1), (Today.AddDays(-1), MetricKeys.Booked, 6)));
        var second = KpiActivityLoader.Load(cached, team, [Carl], Today).Single();
        Assert.Equal(Today.AddDays(-300), second.KnownFirstDay);
        Assert.Contains(second.Entries, e => e.Date == Today.AddDays(-1) && e.Value == 6);
        Assert.Equal(Snapshot(temp.Store, Today), Snapshot(cached, Today));
    }

    [Fact]
    public void An_import_is_visible_at_once_and_a_deal_moved_to_another_owner_leaves_the_first()
    {
        var (temp, cached) = NewStore();
        using var _ = temp;
        var closedFrom = Today.AddMonths(-13);
        Assert.Empty(cached.GetDeals(Ws, ["anna", "bob"], closedFrom));

        cached.UpsertDealsByExternalId(Ws, "anna", "crm.csv", "import", [Deal("d1", "anna", Today.AddDays(-40), externalId: "X1")], [], TempStore.Now);
        var imported = Assert.Single(cached.GetDeals(Ws, ["anna", "bob"], closedFrom));
        Assert.Equal("anna", imported.OwnerId);

        // Bob's deals are cached (empty) before the move; the move names only the new owner.
        Assert.Empty(cached.GetDeals(Ws, ["bob"], closedFrom));
        cached.Apply(new ChangeSet(Ws, "bob", "move-1", "move", TempStore.Now, [], [imported with { OwnerId = "bob" }], [], []));
        Assert.Empty(cached.GetDeals(Ws, ["anna"], closedFrom));
        Assert.Equal("d1", Assert.Single(cached.GetDeals(Ws, ["bob"], closedFrom)).Id);
        Assert.Equal(Snapshot(temp.Store, Today), Snapshot(cached, Today));
    }

    [Fact]
    public void A_deal_won_in_chat_counts_in_the_next_read_with_its_close_date()
    {
        var (temp, cached) = NewStore();
        using var _ = temp;
        cached.Apply(new ChangeSet(Ws, "anna", "open-1", "open", TempStore.Now, [], [Deal("d1", "anna", Today.AddDays(-20))], [], []));
        Assert.Equal(DealOutcome.Open, Assert.Single(cached.GetDeals(Ws, ["anna"], Today.AddMonths(-13))).Outcome);
        cached.Apply(new ChangeSet(Ws, "anna", "won-1", "won", TempStore.Now, [], [Deal("d1", "anna", Today.AddDays(-20), DealOutcome.Won, Today)], [], []));
        var won = Assert.Single(cached.GetDeals(Ws, ["anna"], Today.AddMonths(-13)));
        Assert.Equal((DealOutcome.Won, (DateOnly?)Today), (won.Outcome, won.CloseDate));
    }

    [Fact]
    public void A_read_that_raced_a_write_is_not_kept_so_the_next_read_shows_the_write()
    {
        using var temp = new TempStore();
        CachingKpiStore? cached = null;
        var raced = false;
        // The inner read is paused after it read the old data, and a write commits meanwhile: exactly the race
        // between a read filling the cache and a write invalidating it.
        var slow = new PausingStore(temp.Store, () =>
        {
            if (!raced)
            {
                raced = true;
                cached!.Apply(Log("anna", "during-read", (Today, MetricKeys.Booked, 7)));
            }
        });
        cached = new CachingKpiStore(slow, temp.Clock);

        var during = cached.GetEntries(Ws, ["anna"], Today.AddDays(-30), Today);
        Assert.Empty(during);
        Assert.Equal([7m], cached.GetEntries(Ws, ["anna"], Today.AddDays(-30), Today).Select(e => e.Value));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Any_mix_of_writes_reads_like_the_uncached_store(int seed)
    {
        // A small budget as well, so eviction happens during the run.
        var (temp, cached) = NewStore(budget: seed % 2 == 0 ? 2_000 : CachingKpiStore.DefaultBudgetBytes);
        using var _ = temp;
        var random = new Random(seed);
        string[] people = ["anna", "bob", "carl"];
        string[] metrics = [MetricKeys.Booked, MetricKeys.Held, MetricKeys.Qualified];
        var dealIds = new List<string>();
        for (var step = 0; step < 60; step++)
        {
            var person = people[random.Next(people.Length)];
            switch (random.Next(7))
            {
                case 0 or 1:
                    cached.Apply(Log(person, $"log-{step}", (Today.AddDays(-random.Next(0, 500)), metrics[random.Next(metrics.Length)], random.Next(1, 9))));
                    break;
                case 2:
                    // Not the fixture's seed (undoing it would remove the people themselves).
                    if (cached.LastUndoable(Ws, person) is { } last && !last.SourceId.StartsWith("seed", StringComparison.Ordinal))
                    {
                        cached.Undo(Ws, last.Id, TempStore.Now);
                    }
                    break;
                case 3:
                    var id = $"deal-{step}";
                    dealIds.Add(id);
                    var closed = random.Next(3) == 0 ? Today.AddDays(-random.Next(0, 600)) : (DateOnly?)null;
                    cached.Apply(new ChangeSet(Ws, person, $"deal-{step}", "deal", TempStore.Now, [],
                        [Deal(id, person, (closed ?? Today).AddDays(-random.Next(1, 90)), closed is null ? DealOutcome.Open : DealOutcome.Won, closed)], [], []));
                    break;
                case 5 when random.Next(3) == 0:
                    // A rename and a move to another team (created in the same change), as an admin would do.
                    var teamId = $"team-{random.Next(2)}";
                    var current = cached.FindPerson(Ws, person)!;
                    cached.Apply(new ChangeSet(Ws, "anna", $"people-{step}", "people", TempStore.Now, [], [],
                        [current with { DisplayName = $"{person} {step}", TeamId = teamId, PlatformUserId = $"U{step}" }],
                        [Defaults.NewTeam(teamId, Ws, $"Team {step}", TempStore.Now)]));
                    break;
                case 4 when dealIds.Count > 0 && cached.FindDeal(Ws, dealIds[random.Next(dealIds.Count)]) is { } moved:
                    cached.Apply(new ChangeSet(Ws, person, $"move-{step}", "move", TempStore.Now, [], [moved with { OwnerId = person }], [], []));
                    break;
                default:
                    cached.UpsertDealsByExternalId(Ws, person, $"crm-{step}", "import",
                        [Deal($"crm-{step}", person, Today.AddDays(-random.Next(1, 400)), externalId: $"X{random.Next(5)}")], [], TempStore.Now);
                    break;
            }

            Assert.Equal(Json(temp.Store.ListPeople(Ws)), Json(cached.ListPeople(Ws)));
            Assert.Equal(Json(temp.Store.ListPeople(Ws, TeamIds.Default)), Json(cached.ListPeople(Ws, TeamIds.Default)));
            Assert.Equal(Json(temp.Store.ListTeams(Ws)), Json(cached.ListTeams(Ws)));
            foreach (var someone in temp.Store.ListPeople(Ws))
            {
                Assert.Equal(JsonSerializer.Serialize(someone), JsonSerializer.Serialize(cached.FindPersonByPlatformUser(Ws, someone.PlatformUserId!)));
                Assert.Equal(JsonSerializer.Serialize(temp.Store.FindTeam(Ws, someone.TeamId)), JsonSerializer.Serialize(cached.FindTeam(Ws, someone.TeamId)));
            }
            var asOf = Today.AddDays(-random.Next(0, 3) * 7);
            Assert.Equal(Snapshot(temp.Store, asOf), Snapshot(cached, asOf));
            var from = Today.AddDays(-random.Next(0, 700));
            Assert.Equal(Json(temp.Store.GetEntries(Ws, people, from, Today)), Json(cached.GetEntries(Ws, people, from, Today)));
            Assert.Equal(Json(temp.Store.GetDeals(Ws, people)), Json(cached.GetDeals(Ws, people)));
            Assert.True(cached.EstimatedBytes <= Math.Max(2_000, CachingKpiStore.DefaultBudgetBytes * (seed % 2)), $"cache holds {cached.EstimatedBytes} bytes");
        }
        Assert.True(cached.Counts.Hits > 0, "the cache served nothing");
    }

    [Fact]
    public void A_read_that_lands_between_the_commit_and_the_cache_update_does_not_count_the_number_twice()
    {
        using var temp = new TempStore();
        temp.Store.Apply(new ChangeSet(Ws, "anna", "seed-carl", "people", TempStore.Now, [], [], [Carl], []));
        CachingKpiStore? cached = null;
        // The inner store runs a cached read of Anna right after its commit: the moment a concurrent reader can see
        // the new entry before the cache has been told about it.
        var inner = AfterCommit.Wrap(temp.Store, () => cached!.GetEntries(Ws, ["anna"], Today.AddDays(-60), Today));
        cached = new CachingKpiStore(inner, temp.Clock);
        cached.Apply(Log("anna", "m1", (Today.AddDays(-3), MetricKeys.Booked, 2)));
        cached.GetEntries(Ws, ["anna"], Today.AddDays(-60), Today);

        cached.Apply(Log("anna", "m2", (Today, MetricKeys.Held, 3)));

        var read = cached.GetEntries(Ws, ["anna"], Today.AddDays(-60), Today);
        Assert.Equal([2m, 3m], read.Select(e => e.Value));
        Assert.Equal(Json(temp.Store.GetEntries(Ws, ["anna"], Today.AddDays(-60), Today)), Json(read));
    }

    /// <summary>An <see cref="IKpiStore"/> that runs a callback after each successful <c>Apply</c> of the store it wraps.</summary>
    public class AfterCommit : System.Reflection.DispatchProxy
    {
        private IKpiStore _inner = null!;
        private Action _after = null!;

        public static IKpiStore Wrap(IKpiStore inner, Action after)
        {
            var proxy = Create<IKpiStore, AfterCommit>();
            var self = (AfterCommit)(object)proxy;
            self._inner = inner;
            self._after = after;
            return proxy;
        }

        protected override object? Invoke(System.Reflection.MethodInfo? targetMethod, object?[]? args)
        {
            var result = targetMethod!.Invoke(_inner, args);
            if (targetMethod.Name == nameof(IKpiStore.Apply))
            {
                _after();
            }
            return result;
        }
    }

    [Fact]
    public async Task Concurrent_logging_and_reading_ends_with_the_store_s_numbers()
    {
        var (temp, cached) = NewStore();
        using var _ = temp;
        string[] people = ["anna", "bob", "carl"];
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 3).Select(r => Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                cached.GetEntries(Ws, people, Today.AddDays(-30), Today);
                cached.FirstActivityDates(Ws, people);
            }
        })).ToArray();
        var writers = people.Select(person => Task.Run(() =>
        {
            for (var i = 0; i < 20; i++)
            {
                cached.Apply(Log(person, $"{person}-{i}", (Today.AddDays(-(i % 25)), MetricKeys.Booked, i + 1)));
            }
        })).ToArray();
        await Task.WhenAll(writers);
        await stop.CancelAsync();
        await Task.WhenAll(readers);

        var read = cached.GetEntries(Ws, people, Today.AddDays(-30), Today);
        Assert.Equal(60, read.Count);
        Assert.Equal(Json(temp.Store.GetEntries(Ws, people, Today.AddDays(-30), Today)), Json(read));
        Assert.Equal(people.ToDictionary(p => p, _ => (DateOnly?)Today.AddDays(-19)), cached.FirstActivityDates(Ws, people));
    }

    [Fact]
    public void A_window_older_than_the_horizon_is_read_from_the_store_and_not_cached()
    {
        var (temp, cached) = NewStore();
        using var _ = temp;
        cached.Apply(Log("anna", "old", (new DateOnly(2024, 3, 1), MetricKeys.Booked, 2)));
        Assert.Single(cached.GetEntries(Ws, ["anna"], new(2024, 1, 1), new(2024, 12, 31)));
        Assert.Equal(0, cached.CachedPeople);
    }

    private static string Json<T>(IReadOnlyList<T> records) => JsonSerializer.Serialize(records);

    /// <summary>Entries in a canonical order: the store does not order entries of the same person, day and time.</summary>
    private static string Json(IReadOnlyList<DailyEntry> entries) =>
        JsonSerializer.Serialize(entries.OrderBy(e => e.Date).ThenBy(e => e.PersonId, StringComparer.Ordinal).ThenBy(e => e.RecordedAt).ThenBy(e => e.Id, StringComparer.Ordinal).ToList());

    /// <summary>Delegates to a real store and runs a hook after each entry read, before returning it.</summary>
    private sealed class PausingStore(IKpiStore inner, Action afterEntryRead) : IKpiStore
    {
        public IReadOnlyList<DailyEntry> GetEntries(string workspaceId, IReadOnlyCollection<string>? personIds, DateOnly from, DateOnly to)
        {
            var read = inner.GetEntries(workspaceId, personIds, from, to);
            afterEntryRead();
            return read;
        }

        public Workspace? FindWorkspace(string workspaceId) => inner.FindWorkspace(workspaceId);
        public Workspace EnsureWorkspace(string workspaceId, Platform platform, string name, DateTimeOffset at) => inner.EnsureWorkspace(workspaceId, platform, name, at);
        public IReadOnlyList<Team> ListTeams(string workspaceId) => inner.ListTeams(workspaceId);
        public Team? FindTeam(string workspaceId, string teamId) => inner.FindTeam(workspaceId, teamId);
        public Person? FindPerson(string workspaceId, string personId) => inner.FindPerson(workspaceId, personId);
        public Person? FindPersonByPlatformUser(string workspaceId, string platformUserId) => inner.FindPersonByPlatformUser(workspaceId, platformUserId);
        public IReadOnlyList<Person> ListPeople(string workspaceId, string? teamId = null) => inner.ListPeople(workspaceId, teamId);
        public IReadOnlyList<Deal> GetDeals(string workspaceId, IReadOnlyCollection<string>? ownerIds, DateOnly? closedOnOrAfter = null) => inner.GetDeals(workspaceId, ownerIds, closedOnOrAfter);
        public DateOnly? FirstActivityDate(string workspaceId, string personId) => inner.FirstActivityDate(workspaceId, personId);
        public IReadOnlyDictionary<string, DateOnly?> FirstActivityDates(string workspaceId, IReadOnlyCollection<string> personIds) => inner.FirstActivityDates(workspaceId, personIds);
        public Deal? FindDeal(string workspaceId, string dealId) => inner.FindDeal(workspaceId, dealId);
        public IReadOnlyList<Deal> FindOpenDealsByName(string workspaceId, string ownerId, string name) => inner.FindOpenDealsByName(workspaceId, ownerId, name);
        public ApplyResult Apply(ChangeSet change) => inner.Apply(change);
        public ChangeRecord? LastUndoable(string workspaceId, string authorId) => inner.LastUndoable(workspaceId, authorId);
        public ChangeRecord? Undo(string workspaceId, string changeId, DateTimeOffset at) => inner.Undo(workspaceId, changeId, at);
        public IReadOnlyList<ChangeRecord> Audit(string workspaceId, int limit = 100) => inner.Audit(workspaceId, limit);
        public BulkResult UpsertDealsByExternalId(string workspaceId, string authorId, string sourceId, string summary, IReadOnlyList<Deal> deals, IReadOnlyList<Person> newPeople, DateTimeOffset at) =>
            inner.UpsertDealsByExternalId(workspaceId, authorId, sourceId, summary, deals, newPeople, at);
        public bool TryMarkInboundProcessed(string key, DateTimeOffset at) => inner.TryMarkInboundProcessed(key, at);
    }
}
