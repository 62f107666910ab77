using System.Collections.Concurrent;
using KpiBot.Domain;
using KpiBot.Kpis;
using KpiBot.Storage;

namespace KpiBot.Conversation.Commands;

/// <summary>
/// Caches each team's conversion rates, the baseline a person's funnel is compared with to find their bottleneck.
/// Computing it reads every team member's window of entries, which is the expensive part of a trend card for a
/// large team, while the result only changes when data changes. The key holds the workspace's data version: the
/// newest change record (any writer, e.g. an import) plus a counter the bot bumps after every command it runs
/// (undo changes data without a new record). Entries also expire after a few minutes as a safety net.
/// </summary>
public sealed class TeamBaselineCache(TimeProvider clock)
{
    /// <summary>How long a cached baseline is used at most.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    private const int MaxEntries = 512;

    private readonly ConcurrentDictionary<string, long> _versions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (ConversionReport Report, DateTimeOffset At)> _baselines = new(StringComparer.Ordinal);

    /// <summary>Marks the workspace's data as changed (called by the bot after each command).</summary>
    public void Invalidate(string workspaceId) => _versions.AddOrUpdate(workspaceId, 1, (_, v) => v + 1);

    /// <summary>The team's conversion as of <paramref name="asOf"/>, computed when not cached for the current data version.</summary>
    public ConversionReport TeamConversion(IKpiStore store, Team team, DateOnly asOf, Func<IReadOnlyList<PersonActivity>> loadTeam)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(team);
        ArgumentNullException.ThrowIfNull(loadTeam);
        var newest = store.Audit(team.WorkspaceId, 1).FirstOrDefault();
        var version = _versions.GetValueOrDefault(team.WorkspaceId);
        var key = string.Join('|', team.WorkspaceId, team.Id, asOf.DayNumber, team.Settings.ConversionWeeks, string.Join(',', team.Metrics.Select(m => m.Key)), newest?.Id, newest?.Undone, version);
        var now = clock.GetUtcNow();
        if (_baselines.TryGetValue(key, out var cached) && now - cached.At < MaxAge)
        {
            return cached.Report;
        }
        var report = KpiEngine.ComputeTeamConversion(team, loadTeam(), asOf);
        if (_baselines.Count >= MaxEntries)
        {
            _baselines.Clear();
        }
        _baselines[key] = (report, now);
        return report;
    }
}
