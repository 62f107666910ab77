using KpiBot.Conversation.Commands;
using KpiBot.Domain;
using KpiBot.Kpis;
using KpiBot.Tests.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace KpiBot.Tests.Conversation;

/// <summary>
/// The team conversion baseline: exact for a small team after every change; for a large team the last baseline for
/// up to <see cref="TeamBaselineCache.RefreshInterval"/>, then refreshed in the background.
/// </summary>
public sealed class TeamBaselineCacheTests
{
    private static readonly DateOnly AsOf = new(2026, 12, 3);

    private sealed class TeamData(TempStore t)
    {
        public decimal Held { get; set; } = 3;
        public int Loads { get; private set; }

        /// <summary>Anna's last four weeks: 10 booked and <see cref="Held"/> held each Monday.</summary>
        public IReadOnlyList<PersonActivity> Load()
        {
            Loads++;
            var entries = Enumerable.Range(1, 4).SelectMany(w =>
            {
                var monday = AsOf.AddDays(-7 * w - ((int)AsOf.DayOfWeek + 6) % 7);
                return new[] { TempStore.Entry("anna", monday, MetricKeys.Booked, 10), TempStore.Entry("anna", monday, MetricKeys.Held, Held) };
            }).ToList();
            return [new PersonActivity(TempStore.Anna, entries, [], AsOf.AddYears(-1))];
        }

        public void Change(decimal held, string source)
        {
            Held = held;
            t.Store.Apply(ChangeSet.Entries(TempStore.Ws, "anna", source, "log", TempStore.Now, [TempStore.Entry("anna", AsOf, MetricKeys.Booked, 1)]));
        }
    }

    private static decimal HeldOf(ConversionReport? report) => Assert.IsType<ConversionReport>(report).Rates[0].Numerator;

    [Fact]
    public void A_small_team_s_baseline_follows_every_change()
    {
        using var t = new TempStore();
        var cache = new TeamBaselineCache(t.Clock, NullLogger<TeamBaselineCache>.Instance);
        var team = t.Store.FindTeam(TempStore.Ws, TeamIds.Default)!;
        var data = new TeamData(t);

        Assert.Equal(12m, HeldOf(cache.TeamConversion(t.Store, team, 8, AsOf, data.Load)));
        Assert.Equal(12m, HeldOf(cache.TeamConversion(t.Store, team, 8, AsOf, data.Load)));
        Assert.Equal(1, data.Loads);

        data.Change(5, "m1");
        Assert.Equal(20m, HeldOf(cache.TeamConversion(t.Store, team, 8, AsOf, data.Load)));
    }

    [Fact]
    public async Task A_large_team_s_baseline_lags_changes_by_at_most_the_refresh_interval()
    {
        using var t = new TempStore();
        var cache = new TeamBaselineCache(t.Clock, NullLogger<TeamBaselineCache>.Instance);
        var team = t.Store.FindTeam(TempStore.Ws, TeamIds.Default)!;
        var data = new TeamData(t);

        // No baseline yet: computed at once.
        Assert.Equal(12m, HeldOf(cache.TeamConversion(t.Store, team, 100, AsOf, data.Load)));
        data.Change(5, "m1");
        // Within the interval the last baseline is served and nothing is reloaded.
        t.Clock.Advance(TeamBaselineCache.RefreshInterval / 2);
        Assert.Equal(12m, HeldOf(cache.TeamConversion(t.Store, team, 100, AsOf, data.Load)));
        Assert.Equal(1, data.Loads);

        // After it: still the last one for this card, a fresh one is computed in the background for the next.
        t.Clock.Advance(TeamBaselineCache.RefreshInterval);
        Assert.Equal(12m, HeldOf(cache.TeamConversion(t.Store, team, 100, AsOf, data.Load)));
        await cache.WhenRefreshed();
        Assert.Equal(20m, HeldOf(cache.TeamConversion(t.Store, team, 100, AsOf, data.Load)));
        Assert.Equal(2, data.Loads);
    }
}
