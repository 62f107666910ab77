using System.Collections.Concurrent;
using KpiBot.Domain;
using KpiBot.Kpis;
using KpiBot.Storage;

namespace KpiBot.Conversation.Commands;

/// <summary>
/// Caches each team's conversion rates, the baseline a person's funnel is compared with to find their bottleneck.
/// Computing it reads every team member's window of entries and deals and runs the funnel over all of them, which is
/// the expensive part of a person's card for a large team, while one new entry barely moves it.
/// <para>The data version is the workspace's newest change record (any writer, e.g. an import) plus a counter the
/// bot bumps after every command it runs (undo changes data without a new record).</para>
/// <para>A team of up to <see cref="ExactTeamSize"/> people is recomputed at once whenever the version changed, so
/// its answers are exact. A larger team is recomputed at once only when it has no baseline yet (up to
/// <see cref="SynchronousTeamSize"/> people; larger ones compute the first in the background, and that very first
/// card has no team comparison); after that it is served its last baseline, which is refreshed in the background
/// at most every <see cref="RefreshInterval"/> when its data changed (stale-while-revalidate). With a busy team of
/// a hundred people logging many times a second, an exact baseline would mean reloading the whole team for every
/// card; a baseline that lags by seconds changes no bottleneck a person would notice. The person's own numbers are
/// always current.</para>
/// </summary>
public sealed partial class TeamBaselineCache(TimeProvider clock, ILogger<TeamBaselineCache> logger)
{
    /// <summary>Teams up to this size are recomputed synchronously whenever their data changed (exact).</summary>
    public const int ExactTeamSize = 25;

    /// <summary>Teams up to this size compute their first baseline synchronously.</summary>
    public const int SynchronousTeamSize = 200;

    /// <summary>A larger team's baseline is refreshed (in the background) at most this often while its data changes.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);

    /// <summary>How long a baseline is served without checking for a newer one, whatever the version says.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(10);

    private const int MaxEntries = 512;

    private readonly ConcurrentDictionary<string, long> _versions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Baseline> _baselines = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task> _refreshing = new(StringComparer.Ordinal);

    private sealed record Baseline(ConversionReport Report, string Version, DateTimeOffset At);

    /// <summary>Marks the workspace's data as changed (called by the bot after each command).</summary>
    public void Invalidate(string workspaceId) => _versions.AddOrUpdate(workspaceId, 1, (_, v) => v + 1);

    /// <summary>
    /// The team's conversion as of <paramref name="asOf"/>: for a small team the current data version's; for a large
    /// team possibly the one of a few seconds ago (refreshing in the background) or null when none was computed yet.
    /// </summary>
    public ConversionReport? TeamConversion(IKpiStore store, Team team, int teamSize, DateOnly asOf, Func<IReadOnlyList<PersonActivity>> loadTeam)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(team);
        ArgumentNullException.ThrowIfNull(loadTeam);
        var key = string.Join('|', team.WorkspaceId, team.Id, asOf.DayNumber, team.Settings.ConversionWeeks, string.Join(',', team.Metrics.Select(m => m.Key)));
        var now = clock.GetUtcNow();
        _baselines.TryGetValue(key, out var cached);
        var exact = teamSize <= ExactTeamSize;
        if (!exact && cached is not null && now - cached.At < RefreshInterval)
        {
            // Young enough whatever happened since: no need to look up the data version.
            return cached.Report;
        }
        var newest = store.Audit(team.WorkspaceId, 1).FirstOrDefault();
        var version = $"{newest?.Id}|{newest?.Undone}|{_versions.GetValueOrDefault(team.WorkspaceId)}";
        if (cached is not null && cached.Version == version && now - cached.At < MaxAge)
        {
            return cached.Report;
        }
        if (exact || (cached is null && teamSize <= SynchronousTeamSize))
        {
            return Store(key, KpiEngine.ComputeTeamConversion(team, loadTeam(), asOf), version, now);
        }
        // The task is registered before it starts, so its own removal at the end always follows the registration
        // (a task that finished before being added would stay registered and block every later refresh).
        Task? refresh = null;
        refresh = new Task(() =>
        {
            try
            {
                Store(key, KpiEngine.ComputeTeamConversion(team, loadTeam(), asOf), version, clock.GetUtcNow());
            }
#pragma warning disable CA1031 // A failed background refresh must not crash the process; the next question retries.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                LogRefreshFailed(logger, exception, team.WorkspaceId, team.Id);
            }
            finally
            {
                _refreshing.TryRemove(new KeyValuePair<string, Task>(key, refresh!));
            }
        });
        if (_refreshing.TryAdd(key, refresh))
        {
            refresh.Start(TaskScheduler.Default);
        }
        return cached?.Report;
    }

    /// <summary>Waits for background refreshes (tests and benchmarks).</summary>
    public Task WhenRefreshed() => Task.WhenAll(_refreshing.Values);

    private ConversionReport Store(string key, ConversionReport report, string version, DateTimeOffset at)
    {
        if (_baselines.Count >= MaxEntries)
        {
            _baselines.Clear();
        }
        _baselines[key] = new Baseline(report, version, at);
        return report;
    }

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Refreshing the conversion baseline of team {TeamId} in {WorkspaceId} failed")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception, string workspaceId, string teamId);
}
