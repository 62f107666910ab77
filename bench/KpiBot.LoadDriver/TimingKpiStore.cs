using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using KpiBot.Domain;
using KpiBot.Storage;

namespace KpiBot.LoadDriver;

/// <summary>
/// <c>--profile</c>: an <see cref="IKpiStore"/> in front of the bot's own that adds up the wall time and the calls of
/// each store method, so a run shows how much of a request is the store (a Stopwatch split without a profiler).
/// </summary>
internal sealed class TimingKpiStore(IKpiStore inner) : IKpiStore
{
    private readonly ConcurrentDictionary<string, (long Calls, long Ticks)> _totals = new(StringComparer.Ordinal);

    /// <summary>Per method: calls, total and mean milliseconds, most expensive first.</summary>
    public string Report()
    {
        var text = new StringBuilder("| store method | calls | total ms | mean ms |\n|---|---:|---:|---:|\n");
        foreach (var (name, (calls, ticks)) in _totals.OrderByDescending(t => t.Value.Ticks))
        {
            var ms = ticks * 1000.0 / Stopwatch.Frequency;
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {calls} | {ms:0.0} | {ms / calls:0.000} |"));
        }
        return text.ToString();
    }

    private T Time<T>(string name, Func<T> call)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            return call();
        }
        finally
        {
            var elapsed = Stopwatch.GetTimestamp() - start;
            _totals.AddOrUpdate(name, (1, elapsed), (_, t) => (t.Calls + 1, t.Ticks + elapsed));
        }
    }

    public Workspace? FindWorkspace(string workspaceId) => Time(nameof(FindWorkspace), () => inner.FindWorkspace(workspaceId));
    public Workspace EnsureWorkspace(string workspaceId, Platform platform, string name, DateTimeOffset at) => Time(nameof(EnsureWorkspace), () => inner.EnsureWorkspace(workspaceId, platform, name, at));
    public IReadOnlyList<Team> ListTeams(string workspaceId) => Time(nameof(ListTeams), () => inner.ListTeams(workspaceId));
    public Team? FindTeam(string workspaceId, string teamId) => Time(nameof(FindTeam), () => inner.FindTeam(workspaceId, teamId));
    public Person? FindPerson(string workspaceId, string personId) => Time(nameof(FindPerson), () => inner.FindPerson(workspaceId, personId));
    public Person? FindPersonByPlatformUser(string workspaceId, string platformUserId) => Time(nameof(FindPersonByPlatformUser), () => inner.FindPersonByPlatformUser(workspaceId, platformUserId));
    public IReadOnlyList<Person> ListPeople(string workspaceId, string? teamId = null) => Time(nameof(ListPeople), () => inner.ListPeople(workspaceId, teamId));
    public IReadOnlyList<DailyEntry> GetEntries(string workspaceId, IReadOnlyCollection<string>? personIds, DateOnly from, DateOnly to) => Time(nameof(GetEntries), () => inner.GetEntries(workspaceId, personIds, from, to));
    public IReadOnlyList<Deal> GetDeals(string workspaceId, IReadOnlyCollection<string>? ownerIds, DateOnly? closedOnOrAfter = null) => Time(nameof(GetDeals), () => inner.GetDeals(workspaceId, ownerIds, closedOnOrAfter));
    public DateOnly? FirstActivityDate(string workspaceId, string personId) => Time(nameof(FirstActivityDate), () => inner.FirstActivityDate(workspaceId, personId));
    public IReadOnlyDictionary<string, DateOnly?> FirstActivityDates(string workspaceId, IReadOnlyCollection<string> personIds) => Time(nameof(FirstActivityDates), () => inner.FirstActivityDates(workspaceId, personIds));
    public Deal? FindDeal(string workspaceId, string dealId) => Time(nameof(FindDeal), () => inner.FindDeal(workspaceId, dealId));
    public IReadOnlyList<Deal> FindOpenDealsByName(string workspaceId, string ownerId, string name) => Time(nameof(FindOpenDealsByName), () => inner.FindOpenDealsByName(workspaceId, ownerId, name));
    public ApplyResult Apply(ChangeSet change) => Time(nameof(Apply), () => inner.Apply(change));
    public ChangeRecord? LastUndoable(string workspaceId, string authorId) => Time(nameof(LastUndoable), () => inner.LastUndoable(workspaceId, authorId));
    public ChangeRecord? Undo(string workspaceId, string changeId, DateTimeOffset at) => Time(nameof(Undo), () => inner.Undo(workspaceId, changeId, at));
    public IReadOnlyList<ChangeRecord> Audit(string workspaceId, int limit = 100) => Time(nameof(Audit), () => inner.Audit(workspaceId, limit));
    public BulkResult UpsertDealsByExternalId(string workspaceId, string authorId, string sourceId, string summary, IReadOnlyList<Deal> deals, IReadOnlyList<Person> newPeople, DateTimeOffset at) =>
        Time(nameof(UpsertDealsByExternalId), () => inner.UpsertDealsByExternalId(workspaceId, authorId, sourceId, summary, deals, newPeople, at));
    public bool TryMarkInboundProcessed(string key, DateTimeOffset at) => Time(nameof(TryMarkInboundProcessed), () => inner.TryMarkInboundProcessed(key, at));
}
