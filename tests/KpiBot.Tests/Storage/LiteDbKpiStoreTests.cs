using KpiBot.Domain;
using KpiBot.Storage;
using KpiBot.Storage.LiteDb;

namespace KpiBot.Tests.Storage;

public sealed class LiteDbKpiStoreTests
{
    private static readonly DateOnly Dec3 = new(2026, 12, 3);
    private const string Ws = TempStore.Ws;

    private static Deal NewDeal(string id, string name, decimal value, string stage = "qualified", string? externalId = null, string owner = "anna") =>
        new(id, Ws, owner, name, value, "SEK", stage, [new StageChange(stage, new(2026, 11, 2))], new(2026, 11, 2), new(2027, 1, 31), DealOutcome.Open, null, externalId);

    private static ChangeSet Deals(string source, params Deal[] deals) => new(Ws, "anna", source, "deals", TempStore.Now, [], deals, [], []);

    // ---- round trips ------------------------------------------------------------------------

    [Fact]
    public void Every_record_reads_back_equal_after_a_restart()
    {
        using var t = new TempStore();
        var team = Defaults.NewTeam("north", Ws, "North", TempStore.Now,
            TeamSettings.Default with { Currency = "EUR", TimeZoneId = "Europe/Berlin", TrendWeeks = 10, MaxDailyCount = 50, Status = new StatusThresholds(-0.2, 0.05), ForecastPeriod = ForecastPeriod.Quarter });
        var carl = new Person("carl", Ws, "north", "Carl Åström", Role.Admin, null, "Europe/Berlin",
            [new AwayPeriod(new(2026, 8, 1), new(2026, 8, 21)), new AwayPeriod(new(2026, 12, 24), new(2026, 12, 31))], "bob", TempStore.Now.AddMinutes(3));
        var won = new Deal("d-1", Ws, "carl", "Acme", 120_000.50m, "EUR", "negotiation",
            [new("prospecting", new(2026, 9, 1)), new("proposal", new(2026, 10, 1)), new("negotiation", new(2026, 11, 1))],
            new(2026, 9, 1), new(2026, 12, 15), DealOutcome.Won, new(2026, 12, 2), "CRM-1");
        var at = new DateTimeOffset(2026, 12, 4, 11, 30, 15, 123, TimeSpan.FromHours(1)).AddTicks(4567);
        var applied = t.Store.Apply(new ChangeSet(Ws, "carl", "evt-rt", "everything", at,
            [new DailyEntry("e-1", Ws, "carl", Dec3, MetricKeys.Held, 3, "bob", "", at)], [won], [carl], [team]));

        t.Reopen();

        var workspace = t.Store.FindWorkspace(Ws)!;
        Assert.Equal(new Workspace(Ws, Platform.Slack, "Acme Sales", TempStore.Now), workspace);

        var storedTeam = t.Store.FindTeam(Ws, "north")!;
        Assert.Equal(team.Settings, storedTeam.Settings);
        Assert.Equal(team.Metrics.Select(m => (m.Key, m.DisplayName, m.Kind, m.Unit, m.Source, m.Phase, string.Join("|", m.Synonyms))),
            storedTeam.Metrics.Select(m => (m.Key, m.DisplayName, m.Kind, m.Unit, m.Source, m.Phase, string.Join("|", m.Synonyms))));
        Assert.Equal(team.Stages.Select(s => (s.Key, s.Order, s.Probability, string.Join("|", s.Synonyms))),
            storedTeam.Stages.Select(s => (s.Key, s.Order, s.Probability, string.Join("|", s.Synonyms))));
        Assert.Equal((team.Name, team.CreatedAt), (storedTeam.Name, storedTeam.CreatedAt));

        var storedCarl = t.Store.FindPerson(Ws, "carl")!;
        Assert.Equal(carl with { Away = [] }, storedCarl with { Away = [] });
        Assert.Equal(carl.Away, storedCarl.Away);
        Assert.True(storedCarl.IsAwayOn(new(2026, 12, 25)));

        var storedDeal = t.Store.FindDeal(Ws, "d-1")!;
        Assert.Equal(won with { History = [] }, storedDeal with { History = [] });
        Assert.Equal(won.History, storedDeal.History);

        var entry = Assert.Single(t.Store.GetEntries(Ws, ["carl"], Dec3, Dec3));
        Assert.Equal(new DailyEntry("e-1", Ws, "carl", Dec3, MetricKeys.Held, 3, "bob", applied.Change.Id, at), entry);
        Assert.Equal(at, entry.RecordedAt);

        var audit = t.Store.Audit(Ws);
        Assert.Equal(applied.Change, audit[0]);
        Assert.Equal(new ChangeRecord(applied.Change.Id, Ws, "carl", "evt-rt", "everything", at, false, null), audit[0]);
    }

    [Fact]
    public void People_are_found_by_chat_user_id_and_listed_in_name_order_per_team()
    {
        using var t = new TempStore();
        Assert.Equal("bob", t.Store.FindPersonByPlatformUser(Ws, "U_BOB")!.Id);
        Assert.Null(t.Store.FindPersonByPlatformUser(Ws, "U_NOBODY"));
        Assert.Equal(["Anna Svensson", "Bob Berg"], t.Store.ListPeople(Ws).Select(p => p.DisplayName));
        Assert.Empty(t.Store.ListPeople(Ws, "north"));
        Assert.Equal(2, t.Store.ListPeople(Ws, TeamIds.Default).Count);
    }

    [Fact]
    public void EnsureWorkspace_creates_the_default_team_once()
    {
        using var t = new TempStore(seed: false);
        var first = t.Store.EnsureWorkspace("teams:tenant-1", Platform.Teams, "Contoso", TempStore.Now);
        var second = t.Store.EnsureWorkspace("teams:tenant-1", Platform.Teams, "Renamed", TempStore.Now.AddDays(1));
        Assert.Equal(first, second);
        var team = Assert.Single(t.Store.ListTeams("teams:tenant-1"));
        Assert.Equal(TeamIds.Default, team.Id);
        Assert.Equal(TeamSettings.Default, team.Settings);
        Assert.Equal(Defaults.Metrics.Count, team.Metrics.Count);
    }

    [Fact]
    public void Entries_are_read_by_person_and_date_range_including_both_ends()
    {
        using var t = new TempStore();
        t.Store.Apply(ChangeSet.Entries(Ws, "anna", "evt-r", "range", TempStore.Now,
        [
            TempStore.Entry("anna", new(2026, 11, 30), MetricKeys.Booked, 1),
            TempStore.Entry("anna", new(2026, 12, 1), MetricKeys.Booked, 2),
            TempStore.Entry("anna", new(2026, 12, 3), MetricKeys.Held, 3),
            TempStore.Entry("bob", new(2026, 12, 2), MetricKeys.Booked, 4),
        ]));
        Assert.Equal([2m, 3m], t.Store.GetEntries(Ws, ["anna"], new(2026, 12, 1), Dec3).Select(e => e.Value));
        Assert.Equal([2m, 4m, 3m], t.Store.GetEntries(Ws, null, new(2026, 12, 1), Dec3).Select(e => e.Value));
        Assert.Equal([1m, 2m, 4m, 3m], t.Store.GetEntries(Ws, ["anna", "bob"], new(2026, 1, 1), Dec3).Select(e => e.Value));
        Assert.Empty(t.Store.GetEntries(Ws, ["anna"], Dec3, new(2026, 12, 1)));
    }

    [Fact]
    public void Deals_are_filtered_by_owner_and_close_date()
    {
        using var t = new TempStore();
        var closedEarly = NewDeal("d-old", "Old", 10) with { Outcome = DealOutcome.Lost, CloseDate = new(2026, 1, 10) };
        var closedLate = NewDeal("d-new", "New", 20) with { Outcome = DealOutcome.Won, CloseDate = new(2026, 11, 10) };
        var open = NewDeal("d-open", "Open", 30);
        var bobs = NewDeal("d-bob", "Bobs", 40, owner: "bob");
        t.Store.Apply(Deals("evt-d", closedEarly, closedLate, open, bobs));
        Assert.Equal(["d-new", "d-old", "d-open"], t.Store.GetDeals(Ws, ["anna"]).Select(d => d.Id).Order());
        Assert.Equal(["d-new", "d-open"], t.Store.GetDeals(Ws, ["anna"], new(2026, 6, 1)).Select(d => d.Id).Order());
        Assert.Equal(4, t.Store.GetDeals(Ws, null).Count);
    }

    [Fact]
    public void Open_deals_match_by_name_ignoring_case_and_accents()
    {
        using var t = new TempStore();
        t.Store.Apply(Deals("evt-n", NewDeal("d-1", "Åkerlund & Rausing", 1), NewDeal("d-2", "Acme", 2), NewDeal("d-3", "Acme Nordic", 3),
            NewDeal("d-4", "Acme", 4) with { Outcome = DealOutcome.Won, CloseDate = Dec3 }));
        Assert.Equal("d-1", Assert.Single(t.Store.FindOpenDealsByName(Ws, "anna", "akerlund")).Id);
        Assert.Equal("d-2", Assert.Single(t.Store.FindOpenDealsByName(Ws, "anna", "ACME")).Id);
        Assert.Equal(["d-3"], t.Store.FindOpenDealsByName(Ws, "anna", "nordic").Select(d => d.Id));
        Assert.Empty(t.Store.FindOpenDealsByName(Ws, "bob", "acme"));
    }

    // ---- idempotency, undo, audit ------------------------------------------------------------

    [Fact]
    public void The_same_source_id_twice_is_stored_once_and_reported_as_duplicate()
    {
        using var t = new TempStore();
        var change = ChangeSet.Entries(Ws, "anna", "Ev123", "booked 5", TempStore.Now, [TempStore.Entry("anna", Dec3, MetricKeys.Booked, 5)]);
        var first = t.Store.Apply(change);
        var second = t.Store.Apply(change with { Summary = "retry" });
        Assert.False(first.Duplicate);
        Assert.True(second.Duplicate);
        Assert.Equal(first.Change, second.Change);
        Assert.Equal(5m, t.Store.GetEntries(Ws, ["anna"], Dec3, Dec3).Sum(e => e.Value));
        Assert.Equal(2, t.Store.Audit(Ws).Count); // the seed change and this one
    }

    [Fact]
    public void Undo_removes_exactly_the_entries_of_that_change()
    {
        using var t = new TempStore();
        var keep = t.Store.Apply(ChangeSet.Entries(Ws, "anna", "evt-a", "booked 2", TempStore.Now, [TempStore.Entry("anna", Dec3, MetricKeys.Booked, 2)]));
        var drop = t.Store.Apply(ChangeSet.Entries(Ws, "anna", "evt-b", "booked 5, held 3", TempStore.Now.AddMinutes(1),
            [TempStore.Entry("anna", Dec3, MetricKeys.Booked, 5), TempStore.Entry("anna", Dec3, MetricKeys.Held, 3)]));
        Assert.Equal(drop.Change.Id, t.Store.LastUndoable(Ws, "anna")!.Id);

        var undone = t.Store.Undo(Ws, drop.Change.Id, TempStore.Now.AddMinutes(2))!;

        Assert.True(undone.Undone);
        Assert.Equal(TempStore.Now.AddMinutes(2), undone.UndoneAt);
        var left = Assert.Single(t.Store.GetEntries(Ws, ["anna"], Dec3, Dec3));
        Assert.Equal(keep.Change.Id, left.ChangeId);
        Assert.Equal(keep.Change.Id, t.Store.LastUndoable(Ws, "anna")!.Id);
        Assert.Equal(undone, t.Store.Undo(Ws, drop.Change.Id, TempStore.Now.AddMinutes(5))); // second undo changes nothing
        Assert.Equal(2m, t.Store.GetEntries(Ws, ["anna"], Dec3, Dec3).Sum(e => e.Value));
    }

    [Fact]
    public void Undo_of_a_created_deal_deletes_it()
    {
        using var t = new TempStore();
        var created = t.Store.Apply(Deals("evt-c", NewDeal("d-1", "Acme", 250_000)));
        t.Store.Undo(Ws, created.Change.Id, TempStore.Now);
        Assert.Null(t.Store.FindDeal(Ws, "d-1"));
        Assert.Empty(t.Store.GetDeals(Ws, ["anna"]));
    }

    [Fact]
    public void Undo_of_a_moved_deal_restores_stage_and_history_exactly()
    {
        using var t = new TempStore();
        var original = NewDeal("d-1", "Acme", 250_000);
        t.Store.Apply(Deals("evt-c", original));
        var moved = original with { Stage = "negotiation", History = [.. original.History, new StageChange("negotiation", Dec3)] };
        var move = t.Store.Apply(Deals("evt-m", moved));
        Assert.Equal("negotiation", t.Store.FindDeal(Ws, "d-1")!.Stage);

        t.Store.Undo(Ws, move.Change.Id, TempStore.Now);

        var restored = t.Store.FindDeal(Ws, "d-1")!;
        Assert.Equal(original with { History = [] }, restored with { History = [] });
        Assert.Equal(original.History, restored.History);
    }

    [Fact]
    public void Undo_of_a_team_setting_restores_the_previous_settings()
    {
        using var t = new TempStore();
        var before = t.Store.FindTeam(Ws, TeamIds.Default)!;
        var changed = before with { Settings = before.Settings with { Currency = "EUR", TimeZoneId = "Europe/Paris" } };
        var change = t.Store.Apply(new ChangeSet(Ws, "bob", "evt-t", "currency EUR", TempStore.Now, [], [], [], [changed]));
        Assert.Equal("EUR", t.Store.FindTeam(Ws, TeamIds.Default)!.Settings.Currency);

        t.Store.Undo(Ws, change.Change.Id, TempStore.Now);

        Assert.Equal(before.Settings, t.Store.FindTeam(Ws, TeamIds.Default)!.Settings);
    }

    [Fact]
    public void Undo_of_a_person_change_restores_the_role_and_deletes_people_it_created()
    {
        using var t = new TempStore();
        var dana = new Person("dana", Ws, TeamIds.Default, "Dana", Role.Rep, "U_DANA", null, [], null, TempStore.Now);
        var change = t.Store.Apply(new ChangeSet(Ws, "bob", "evt-p", "make anna manager, add dana", TempStore.Now, [], [],
            [TempStore.Anna with { Role = Role.Manager }, dana], []));
        t.Store.Undo(Ws, change.Change.Id, TempStore.Now);
        Assert.Equal(Role.Rep, t.Store.FindPerson(Ws, "anna")!.Role);
        Assert.Null(t.Store.FindPerson(Ws, "dana"));
        Assert.Null(t.Store.FindPersonByPlatformUser(Ws, "U_DANA"));
    }

    [Fact]
    public void Audit_lists_changes_newest_first_with_a_limit()
    {
        using var t = new TempStore();
        for (var i = 1; i <= 5; i++)
        {
            t.Store.Apply(ChangeSet.Entries(Ws, i % 2 == 0 ? "bob" : "anna", $"evt-{i}", $"change {i}", TempStore.Now.AddMinutes(i),
                [TempStore.Entry("anna", Dec3, MetricKeys.Booked, i)]));
        }
        Assert.Equal(["change 5", "change 4", "change 3"], t.Store.Audit(Ws, 3).Select(c => c.Summary));
        Assert.Equal(6, t.Store.Audit(Ws).Count);
        Assert.Equal("change 4", t.Store.LastUndoable(Ws, "bob")!.Summary);
        Assert.Equal("change 5", t.Store.LastUndoable(Ws, "anna")!.Summary);
        Assert.Null(t.Store.LastUndoable(Ws, "nobody"));
    }

    // ---- workspace isolation -------------------------------------------------------------------

    [Fact]
    public void Nothing_crosses_workspaces()
    {
        using var t = new TempStore();
        const string other = "slack:T99";
        t.Store.EnsureWorkspace(other, Platform.Slack, "Other", TempStore.Now);
        var otherAnna = TempStore.Anna with { WorkspaceId = other, DisplayName = "Other Anna" };
        var otherChange = t.Store.Apply(new ChangeSet(other, "anna", "evt-1", "other", TempStore.Now,
            [TempStore.Entry("anna", Dec3, MetricKeys.Booked, 9) with { WorkspaceId = other }],
            [NewDeal("d-1", "Other deal", 1) with { WorkspaceId = other }], [otherAnna], []));
        // Same source id in our workspace is a different change, not a duplicate.
        var ours = t.Store.Apply(ChangeSet.Entries(Ws, "anna", "evt-1", "ours", TempStore.Now, [TempStore.Entry("anna", Dec3, MetricKeys.Booked, 1)]));
        Assert.False(ours.Duplicate);

        Assert.Equal(1m, t.Store.GetEntries(Ws, ["anna"], Dec3, Dec3).Sum(e => e.Value));
        Assert.Equal(1m, t.Store.GetEntries(Ws, null, Dec3, Dec3).Sum(e => e.Value));
        Assert.Empty(t.Store.GetDeals(Ws, null));
        Assert.Null(t.Store.FindDeal(Ws, "d-1"));
        Assert.Equal("Anna Svensson", t.Store.FindPerson(Ws, "anna")!.DisplayName);
        Assert.Equal("Other Anna", t.Store.FindPersonByPlatformUser(other, "U_ANNA")!.DisplayName);
        Assert.DoesNotContain(t.Store.Audit(Ws), c => c.Id == otherChange.Change.Id);

        // Undo through the wrong workspace is refused and changes nothing.
        Assert.Null(t.Store.Undo(Ws, otherChange.Change.Id, TempStore.Now));
        Assert.Equal(9m, t.Store.GetEntries(other, ["anna"], Dec3, Dec3).Sum(e => e.Value));
        Assert.False(t.Store.Audit(other)[0].Undone);
    }

    [Fact]
    public void A_change_that_names_another_workspace_inside_is_refused()
    {
        using var t = new TempStore();
        var sneaky = ChangeSet.Entries(Ws, "anna", "evt-x", "x", TempStore.Now, [TempStore.Entry("anna", Dec3, MetricKeys.Booked, 1) with { WorkspaceId = "slack:T99" }]);
        var error = Assert.Throws<ArgumentException>(() => t.Store.Apply(sneaky));
        Assert.Contains("slack:T99", error.Message);
        Assert.Empty(t.Store.GetEntries("slack:T99", null, Dec3, Dec3));
        Assert.Single(t.Store.Audit(Ws));
    }

    // ---- refusal of bad values -------------------------------------------------------------------

    public static TheoryData<string, decimal, int, string, string> BadEntries => new()
    {
        { MetricKeys.Booked, -1m, 3, "value", "negative" },
        { MetricKeys.Booked, 201m, 3, "value", "at most 200" },
        { MetricKeys.Held, 2.5m, 3, "value", "whole number" },
        { MetricKeys.Booked, 1m, 5, "date", "future" },
        { "calls", 1m, 3, "metric", "booked, held, qualified, proposals" },
        { MetricKeys.Won, 1m, 3, "metric", "counted from deals" },
        { MetricKeys.Conversion, 1m, 3, "metric", "computes" },
    };

    [Theory]
    [MemberData(nameof(BadEntries))]
    public void Bad_values_are_refused_naming_the_field_and_nothing_is_stored(string metric, decimal value, int day, string field, string hint)
    {
        using var t = new TempStore();
        var change = ChangeSet.Entries(Ws, "anna", "evt-bad", "bad", TempStore.Now,
            [TempStore.Entry("anna", Dec3, MetricKeys.Booked, 2), TempStore.Entry("anna", new(2026, 12, day), metric, value)]);

        var error = Assert.Throws<InvalidEntryException>(() => t.Store.Apply(change));

        var problem = Assert.Single(error.Problems);
        Assert.Equal(field, problem.Field);
        Assert.Contains(hint, problem.Message, StringComparison.Ordinal);
        Assert.Empty(t.Store.GetEntries(Ws, null, new(2026, 1, 1), new(2026, 12, 31)));
        Assert.Single(t.Store.Audit(Ws)); // only the seed
        // The refused source id is not burnt: a corrected message with the same id is taken.
        Assert.False(t.Store.Apply(change with { AddEntries = [change.AddEntries[0]] }).Duplicate);
    }

    [Fact]
    public void Today_is_the_persons_local_date()
    {
        using var t = new TempStore();
        // 23:30 UTC on 4 Dec is already 5 Dec in Stockholm (Anna, team zone) but still 4 Dec in London (Bob).
        var lateEvening = new DateTimeOffset(2026, 12, 4, 23, 30, 0, TimeSpan.Zero);
        var dec5 = new DateOnly(2026, 12, 5);
        t.Store.Apply(ChangeSet.Entries(Ws, "anna", "evt-1", "", lateEvening, [TempStore.Entry("anna", dec5, MetricKeys.Booked, 1)]));
        var error = Assert.Throws<InvalidEntryException>(() =>
            t.Store.Apply(ChangeSet.Entries(Ws, "bob", "evt-2", "", lateEvening, [TempStore.Entry("bob", dec5, MetricKeys.Booked, 1)])));
        Assert.Equal("date", Assert.Single(error.Problems).Field);
    }

    [Fact]
    public void Entries_for_unknown_people_are_refused()
    {
        using var t = new TempStore();
        var error = Assert.Throws<InvalidEntryException>(() =>
            t.Store.Apply(ChangeSet.Entries(Ws, "anna", "evt-1", "", TempStore.Now, [TempStore.Entry("ghost", Dec3, MetricKeys.Booked, 1)])));
        Assert.Equal("person", Assert.Single(error.Problems).Field);
        Assert.Empty(t.Store.GetEntries(Ws, null, Dec3, Dec3));
    }

    // ---- bulk upsert ----------------------------------------------------------------------------------

    [Fact]
    public void Bulk_upsert_inserts_then_reports_unchanged_then_updates_and_undo_restores()
    {
        using var t = new TempStore();
        var erik = new Person("erik", Ws, TeamIds.Default, "Erik", Role.Rep, null, null, [], null, TempStore.Now);
        Deal[] deals = [NewDeal("", "A", 1, externalId: "X1", owner: "erik"), NewDeal("", "B", 2, externalId: "X2", owner: "erik")];

        var first = t.Store.UpsertDealsByExternalId(Ws, "bob", "import:abc", "import", deals, [erik], TempStore.Now);
        Assert.Equal((2, 0, 0), (first.Inserted, first.Updated, first.Unchanged));
        Assert.NotNull(first.ChangeId);

        var again = t.Store.UpsertDealsByExternalId(Ws, "bob", "import:abc", "import", deals, [erik], TempStore.Now.AddHours(1));
        Assert.Equal(new BulkResult(0, 0, 2, null), again);
        Assert.Equal(2, t.Store.Audit(Ws).Count);

        var idOfA = t.Store.GetDeals(Ws, ["erik"]).Single(d => d.ExternalId == "X1").Id;
        var changed = t.Store.UpsertDealsByExternalId(Ws, "bob", "import:def", "import 2",
            [deals[0] with { Value = 100, Stage = "proposal" }, deals[1], NewDeal("", "C", 3, externalId: "X3", owner: "erik")], [erik], TempStore.Now.AddHours(2));
        Assert.Equal((1, 1, 1), (changed.Inserted, changed.Updated, changed.Unchanged));
        var a = t.Store.GetDeals(Ws, ["erik"]).Single(d => d.ExternalId == "X1");
        Assert.Equal((idOfA, 100m, "proposal"), (a.Id, a.Value, a.Stage));

        t.Store.Undo(Ws, changed.ChangeId!, TempStore.Now.AddHours(3));
        var afterUndo = t.Store.GetDeals(Ws, ["erik"]);
        Assert.Equal(["X1", "X2"], afterUndo.Select(d => d.ExternalId).Order());
        Assert.Equal(1m, afterUndo.Single(d => d.ExternalId == "X1").Value);

        t.Store.Undo(Ws, first.ChangeId!, TempStore.Now.AddHours(4));
        Assert.Empty(t.Store.GetDeals(Ws, ["erik"]));
        Assert.Null(t.Store.FindPerson(Ws, "erik"));

        // Importing the file again after undoing it is a new change.
        var redo = t.Store.UpsertDealsByExternalId(Ws, "bob", "import:abc", "import", deals, [erik], TempStore.Now.AddHours(5));
        Assert.Equal(2, redo.Inserted);
    }

    [Fact]
    public void Bulk_upsert_refuses_rows_without_an_external_id_or_with_a_repeated_one()
    {
        using var t = new TempStore();
        var noId = Assert.Throws<ArgumentException>(() => t.Store.UpsertDealsByExternalId(Ws, "bob", "s", "", [NewDeal("", "A", 1)], [], TempStore.Now));
        Assert.Contains("external id", noId.Message);
        var twice = Assert.Throws<ArgumentException>(() => t.Store.UpsertDealsByExternalId(Ws, "bob", "s", "",
            [NewDeal("", "A", 1, externalId: "X"), NewDeal("", "B", 1, externalId: "X")], [], TempStore.Now));
        Assert.Contains("'X' appears twice", twice.Message);
        Assert.Empty(t.Store.GetDeals(Ws, null));
    }

    // ---- inbound de-duplication -------------------------------------------------------------------------

    [Fact]
    public void Inbound_deliveries_are_taken_once_and_forgotten_after_seven_days()
    {
        using var t = new TempStore();
        Assert.True(t.Store.TryMarkInboundProcessed("slack:Ev1", t.Clock.GetUtcNow()));
        Assert.False(t.Store.TryMarkInboundProcessed("slack:Ev1", t.Clock.GetUtcNow()));
        Assert.True(t.Store.TryMarkInboundProcessed("slack:Ev2", t.Clock.GetUtcNow()));

        t.Clock.Advance(TimeSpan.FromDays(6));
        Assert.False(t.Store.TryMarkInboundProcessed("slack:Ev1", t.Clock.GetUtcNow()));

        t.Clock.Advance(TimeSpan.FromDays(2));
        Assert.True(t.Store.TryMarkInboundProcessed("slack:Ev1", t.Clock.GetUtcNow()));
    }

    // ---- durability --------------------------------------------------------------------------------------

    [Fact]
    public void An_acknowledged_write_survives_a_crash_without_checkpoint()
    {
        using var t = new TempStore();
        var applied = t.Store.Apply(ChangeSet.Entries(Ws, "anna", "evt-d", "booked 7", TempStore.Now, [TempStore.Entry("anna", Dec3, MetricKeys.Booked, 7)]));

        // "Crash": the first database is never disposed (no checkpoint, nothing flushed on close).
        // Copy the data file and its log as they are on disk now, and open the copy.
        var crashDir = Path.Combine(t.Directory, "after-crash");
        Directory.CreateDirectory(crashDir);
        var copy = Path.Combine(crashDir, "kpibot.db");
        CopyOpenFile(t.Path_, copy);
        CopyOpenFile(LiteDbContext.LogPathOf(t.Path_), LiteDbContext.LogPathOf(copy));
        Assert.True(new FileInfo(LiteDbContext.LogPathOf(copy)).Length > 0, "the write should still be in the log, not yet checkpointed");

        using var recovered = new LiteDbContext(copy);
        var store = new LiteDbKpiStore(recovered, t.Clock);
        var entry = Assert.Single(store.GetEntries(Ws, ["anna"], Dec3, Dec3));
        Assert.Equal(7m, entry.Value);
        Assert.Equal(applied.Change.Id, store.LastUndoable(Ws, "anna")!.Id);
        Assert.True(store.Apply(ChangeSet.Entries(Ws, "anna", "evt-d", "retry", TempStore.Now, [])).Duplicate);
    }

    private static void CopyOpenFile(string from, string to)
    {
        using var source = new FileStream(from, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var target = File.Create(to);
        source.CopyTo(target);
    }
}
