using KpiBot.Domain;

namespace KpiBot.Tests.Storage;

public sealed class LiteDbKpiStoreSmokeTests
{
    [Fact]
    public void Logged_entries_come_back_after_a_restart()
    {
        using var t = new TempStore();
        var result = t.Store.Apply(ChangeSet.Entries(TempStore.Ws, "anna", "evt-1", "booked 5", TempStore.Now,
            [TempStore.Entry("anna", new(2026, 12, 3), MetricKeys.Booked, 5)]));
        Assert.False(result.Duplicate);
        t.Reopen();
        var entries = t.Store.GetEntries(TempStore.Ws, ["anna"], new(2026, 12, 1), new(2026, 12, 4));
        var entry = Assert.Single(entries);
        Assert.Equal(5m, entry.Value);
        Assert.Equal(result.Change.Id, entry.ChangeId);
        Assert.Equal(TeamIds.Default, Assert.Single(t.Store.ListTeams(TempStore.Ws)).Id);
    }
}
