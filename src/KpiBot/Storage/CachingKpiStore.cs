using System.Collections.Concurrent;
using KpiBot.Domain;

namespace KpiBot.Storage;

/// <summary>
/// An <see cref="IKpiStore"/> that keeps each person's recent activity (their entries from some day on, their deals
/// still relevant to the KPI windows, their first logged day) in memory, in front of the real store.
/// </summary>
/// <remarks>
/// <para>Why: reading a person's KPI windows from LiteDB means finding and mapping a few hundred documents
/// (≈ 13 ms for one person, 2–3 s for 1,000 people, see docs/performance.md), while the KPI engine needs a fraction of
/// that. The records the engine takes are immutable, so a cached copy can be handed to any number of readers.</para>
/// <para>Freshness: every write goes through this class, and every write bumps a version for what it touches
/// <em>after</em> the inner store committed: the entry version of the people <see cref="Apply"/> adds entries for, the
/// deal version of the owners of its deals (and of a moved deal's previous owner), the workspace's directory when it
/// changes people or teams, or the whole workspace for <see cref="Undo"/> and <see cref="UpsertDealsByExternalId"/>
/// (they may touch anyone). A cached part remembers the versions it was read under, taken <em>before</em> the read
/// from the inner store; it is served only while they are current. So a read that raced a write either read after
/// the commit, or is stamped with a version the write has since bumped and is never served. Logged entries are added
/// to a cached window that was current just before the write (nothing is reloaded for a log). The LiteDB file is
/// written by one process only (the engine opens it exclusively for writing), so no writer can bypass this class;
/// teams and people (the directory) are cached per workspace the same way.</para>
/// <para>Bound: the cache estimates the bytes it holds (<see cref="EstimatedBytes"/>) and drops the least recently
/// used people once it exceeds its budget. Entries are cached only from a day no more than
/// <see cref="HorizonDays"/> before today (older windows, e.g. "as of 2017", are read through), and whole-workspace
/// reads (no person ids) always go to the inner store.</para>
/// </remarks>
public sealed class CachingKpiStore : IKpiStore
{
    /// <summary>The default budget: the KPI windows of about 1,000 people with 2 years of history (≈ 100 KB each).</summary>
    public const long DefaultBudgetBytes = 128L * 1024 * 1024;

    /// <summary>Entry windows starting further back than this are not cached (a year of trend weeks plus slack).</summary>
    public const int HorizonDays = 400;

    // Rough sizes of the cached records with their own strings (ids, names); shared low-variety strings not counted.
    private const long BytesPerEntry = 200;
    private const long BytesPerDeal = 320;
    private const long BytesPerStageChange = 40;
    private const long BytesPerPerson = 200;

    // Person versions live in a fixed array of counters indexed by a hash of (workspace, person): bounded memory,
    // and a collision only makes another person's cached part look outdated (re-read), never the other way round.
    private const int VersionStripes = 1 << 14;

    private readonly IKpiStore _inner;
    private readonly TimeProvider _clock;
    private readonly long _budgetBytes;
    private readonly long[] _entryVersions = new long[VersionStripes];
    private readonly long[] _dealVersions = new long[VersionStripes];
    private readonly ConcurrentDictionary<string, long> _workspaceVersions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Workspace, string Person), CachedPerson> _people = new();
    private readonly ConcurrentDictionary<string, Workspace> _workspaces = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _directoryVersions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, WorkspaceDirectory> _directories = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _bytes;
    private long _useCounter;
    private long _hits;
    private long _misses;

    /// <summary>Wraps <paramref name="inner"/>; <paramref name="budgetBytes"/> bounds the estimated size of the cache.</summary>
    public CachingKpiStore(IKpiStore inner, TimeProvider clock, long budgetBytes = DefaultBudgetBytes)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        ArgumentOutOfRangeException.ThrowIfNegative(budgetBytes);
        _budgetBytes = budgetBytes;
    }

    /// <summary>The estimated size of what is cached now, in bytes.</summary>
    public long EstimatedBytes => Interlocked.Read(ref _bytes);

    /// <summary>How many people have something cached.</summary>
    public int CachedPeople => _people.Count;

    /// <summary>Person reads served from memory and read from the store since start (for benchmarks and diagnostics).</summary>
    public (long Hits, long Misses) Counts => (Interlocked.Read(ref _hits), Interlocked.Read(ref _misses));

    // ---- the workspace directory: workspaces, teams and people ------------------------------------

    /// <inheritdoc />
    public Workspace? FindWorkspace(string workspaceId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workspaceId);
        if (_workspaces.TryGetValue(workspaceId, out var known))
        {
            return known;
        }
        // Workspaces are created once and never changed or deleted, so a found one is kept for good.
        var found = _inner.FindWorkspace(workspaceId);
        if (found is not null)
        {
            _workspaces.TryAdd(workspaceId, found);
        }
        return found;
    }

    /// <inheritdoc />
    public Workspace EnsureWorkspace(string workspaceId, Platform platform, string name, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workspaceId);
        if (_workspaces.TryGetValue(workspaceId, out var known))
        {
            return known;
        }
        try
        {
            var ensured = _inner.EnsureWorkspace(workspaceId, platform, name, at);
            _workspaces.TryAdd(workspaceId, ensured);
            return ensured;
        }
        finally
        {
            // A new workspace gets its default team.
            OutdateDirectory(workspaceId);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<Team> ListTeams(string workspaceId) => DirectoryOf(workspaceId).Teams;

    /// <inheritdoc />
    public Team? FindTeam(string workspaceId, string teamId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(teamId);
        return DirectoryOf(workspaceId).TeamsById.GetValueOrDefault(teamId);
    }

    /// <inheritdoc />
    public Person? FindPerson(string workspaceId, string personId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(personId);
        return DirectoryOf(workspaceId).PeopleById.GetValueOrDefault(personId);
    }

    /// <inheritdoc />
    public Person? FindPersonByPlatformUser(string workspaceId, string platformUserId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(platformUserId);
        return DirectoryOf(workspaceId).PeopleByPlatformUser.GetValueOrDefault(platformUserId);
    }

    /// <inheritdoc />
    public IReadOnlyList<Person> ListPeople(string workspaceId, string? teamId = null)
    {
        var directory = DirectoryOf(workspaceId);
        // The cached list is in the inner store's order (display name, id); a team's people keep it.
        return teamId is null ? directory.People : directory.PeopleByTeam.GetValueOrDefault(teamId, []);
    }

    // ---- reads that are passed through ------------------------------------------------------

    /// <inheritdoc />
    public Deal? FindDeal(string workspaceId, string dealId) => _inner.FindDeal(workspaceId, dealId);

    /// <inheritdoc />
    public IReadOnlyList<Deal> FindOpenDealsByName(string workspaceId, string ownerId, string name) => _inner.FindOpenDealsByName(workspaceId, ownerId, name);

    /// <inheritdoc />
    public ChangeRecord? LastUndoable(string workspaceId, string authorId) => _inner.LastUndoable(workspaceId, authorId);

    /// <inheritdoc />
    public IReadOnlyList<ChangeRecord> Audit(string workspaceId, int limit = 100) => _inner.Audit(workspaceId, limit);

    /// <inheritdoc />
    public bool TryMarkInboundProcessed(string key, DateTimeOffset at) => _inner.TryMarkInboundProcessed(key, at);

    // ---- cached reads -----------------------------------------------------------------------

    /// <inheritdoc />
    public IReadOnlyList<DailyEntry> GetEntries(string workspaceId, IReadOnlyCollection<string>? personIds, DateOnly from, DateOnly to)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workspaceId);
        var horizon = Today().AddDays(-HorizonDays);
        if (personIds is null || to < from || from < horizon)
        {
            return _inner.GetEntries(workspaceId, personIds, from, to);
        }
        var result = new List<DailyEntry>();
        var missing = new List<string>();
        foreach (var personId in personIds.Distinct(StringComparer.Ordinal))
        {
            if (Current(workspaceId, personId, Part.Entries) is { Entries: { } cached } person && person.EntriesFrom <= from)
            {
                Hit(person);
                AddWindow(result, cached, from, to);
            }
            else
            {
                missing.Add(personId);
            }
        }
        if (missing.Count > 0)
        {
            Interlocked.Add(ref _misses, missing.Count);
            var versions = missing.ToDictionary(p => p, p => VersionOf(workspaceId, p), StringComparer.Ordinal);
            // Read everything from `from` on (nothing is logged in the future), so later questions with a later
            // `to` or a later start are served from the same copy.
            var read = _inner.GetEntries(workspaceId, missing, from, DateOnly.MaxValue).ToLookup(e => e.PersonId, StringComparer.Ordinal);
            foreach (var personId in missing)
            {
                var entries = read[personId].ToArray();
                Array.Sort(entries, ByDateThenRecorded);
                Fill(workspaceId, personId, versions[personId], Part.Entries, existing => existing with { EntriesFrom = from, Entries = entries, EntriesStamp = versions[personId] });
                AddWindow(result, entries, from, to);
            }
        }
        result.Sort(EntryOrder.Compare);
        return result;
    }

    /// <inheritdoc />
    public IReadOnlyList<Deal> GetDeals(string workspaceId, IReadOnlyCollection<string>? ownerIds, DateOnly? closedOnOrAfter = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workspaceId);
        if (ownerIds is null)
        {
            return _inner.GetDeals(workspaceId, ownerIds, closedOnOrAfter);
        }
        var result = new List<Deal>();
        var missing = new List<string>();
        foreach (var ownerId in ownerIds.Distinct(StringComparer.Ordinal))
        {
            if (Current(workspaceId, ownerId, Part.Deals) is { Deals: { } cached } person && Covers(person.DealsClosedFrom, closedOnOrAfter))
            {
                Hit(person);
                AddDeals(result, cached, closedOnOrAfter);
            }
            else
            {
                missing.Add(ownerId);
            }
        }
        if (missing.Count > 0)
        {
            Interlocked.Add(ref _misses, missing.Count);
            var versions = missing.ToDictionary(p => p, p => VersionOf(workspaceId, p), StringComparer.Ordinal);
            var read = _inner.GetDeals(workspaceId, missing, closedOnOrAfter).ToLookup(d => d.OwnerId, StringComparer.Ordinal);
            var coverage = closedOnOrAfter is { } day ? new DealCoverage(day) : DealCoverage.All;
            foreach (var ownerId in missing)
            {
                var deals = read[ownerId].ToArray();
                Fill(workspaceId, ownerId, versions[ownerId], Part.Deals, existing => existing with { DealsClosedFrom = coverage, Deals = deals, DealsStamp = versions[ownerId] });
                result.AddRange(deals);
            }
        }
        // The inner store's order: start date, then id.
        result.Sort(static (a, b) =>
        {
            var byStart = a.StartDate.CompareTo(b.StartDate);
            return byStart != 0 ? byStart : string.CompareOrdinal(a.Id, b.Id);
        });
        return result;
    }

    /// <inheritdoc />
    public DateOnly? FirstActivityDate(string workspaceId, string personId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workspaceId);
        ArgumentException.ThrowIfNullOrWhiteSpace(personId);
        return FirstActivityDates(workspaceId, [personId])[personId];
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, DateOnly?> FirstActivityDates(string workspaceId, IReadOnlyCollection<string> personIds)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workspaceId);
        ArgumentNullException.ThrowIfNull(personIds);
        var result = new Dictionary<string, DateOnly?>(personIds.Count, StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var personId in personIds)
        {
            if (result.ContainsKey(personId))
            {
                continue;
            }
            if (Current(workspaceId, personId, Part.FirstDay) is { FirstDayKnown: true } person)
            {
                Hit(person);
                result[personId] = person.FirstDay;
            }
            else
            {
                result[personId] = null;
                missing.Add(personId);
            }
        }
        if (missing.Count > 0)
        {
            Interlocked.Add(ref _misses, missing.Count);
            var versions = missing.ToDictionary(p => p, p => VersionOf(workspaceId, p), StringComparer.Ordinal);
            var read = _inner.FirstActivityDates(workspaceId, missing);
            foreach (var personId in missing)
            {
                var day = read[personId];
                result[personId] = day;
                Fill(workspaceId, personId, versions[personId], Part.FirstDay, existing => existing with { FirstDayKnown = true, FirstDay = day, FirstDayStamp = versions[personId] });
            }
        }
        return result;
    }

    // ---- writes: pass through, then make what they touched outdated ----------------------------

    /// <inheritdoc />
    public ApplyResult Apply(ChangeSet change)
    {
        ArgumentNullException.ThrowIfNull(change);
        // Entries and deals are outdated separately: a logged number leaves the person's cached deals valid.
        var entriesOf = new HashSet<string>(StringComparer.Ordinal);
        var dealsOf = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in change.AddEntries)
        {
            entriesOf.Add(entry.PersonId);
        }
        foreach (var deal in change.UpsertDeals)
        {
            dealsOf.Add(deal.OwnerId);
            // A deal moved to another owner leaves the previous owner's deals too.
            if (!string.IsNullOrWhiteSpace(deal.Id) && _inner.FindDeal(change.WorkspaceId, deal.Id) is { } before)
            {
                dealsOf.Add(before.OwnerId);
            }
        }
        // Entry ids are given here (the inner store keeps given ids), so what was stored is known without reading
        // it back and the logged numbers can be added to a cached copy instead of reloading it.
        if (change.AddEntries.Any(e => string.IsNullOrWhiteSpace(e.Id)))
        {
            change = change with
            {
                AddEntries = change.AddEntries.Select(e => string.IsNullOrWhiteSpace(e.Id) ? e with { Id = Guid.NewGuid().ToString("N") } : e).ToList(),
            };
        }
        // Bump the entry versions before the commit too: a copy read while the write runs may or may not hold the new
        // entries, so only a copy stamped before this bump may have them added after the commit (see Outdate).
        var entryVersionsBefore = entriesOf.ToDictionary(p => p, p => Interlocked.Increment(ref _entryVersions[Stripe(change.WorkspaceId, p)]), StringComparer.Ordinal);
        ApplyResult? result = null;
        try
        {
            result = _inner.Apply(change);
            return result;
        }
        finally
        {
            // After the commit (or the failure): a reader that started before this point is stamped with the old
            // version and its copy is never served.
            var stored = result is { Duplicate: false } ? result.Change.Id : null;
            foreach (var personId in entriesOf)
            {
                var added = stored is null
                    ? null
                    : change.AddEntries.Where(e => e.PersonId == personId)
                        .Select(e => e with { ChangeId = stored, RecordedAt = new DateTimeOffset(e.RecordedAt.UtcTicks, TimeSpan.Zero) })
                        .ToArray();
                Outdate(change.WorkspaceId, personId, Part.Entries, added, entryVersionsBefore[personId]);
            }
            foreach (var ownerId in dealsOf)
            {
                Outdate(change.WorkspaceId, ownerId, Part.Deals);
            }
            if (change.UpsertPeople.Count > 0 || change.UpsertTeams.Count > 0)
            {
                OutdateDirectory(change.WorkspaceId);
            }
        }
    }

    /// <inheritdoc />
    public ChangeRecord? Undo(string workspaceId, string changeId, DateTimeOffset at)
    {
        try
        {
            return _inner.Undo(workspaceId, changeId, at);
        }
        finally
        {
            // An undo restores before-images of anything the change touched; which people that is would need the
            // change's images read here, so the workspace's cache is dropped instead (undo is a rare command).
            OutdateWorkspace(workspaceId);
        }
    }

    /// <inheritdoc />
    public BulkResult UpsertDealsByExternalId(string workspaceId, string authorId, string sourceId, string summary, IReadOnlyList<Deal> deals, IReadOnlyList<Person> newPeople, DateTimeOffset at)
    {
        try
        {
            return _inner.UpsertDealsByExternalId(workspaceId, authorId, sourceId, summary, deals, newPeople, at);
        }
        finally
        {
            // An import may move deals between owners it does not name; drop the whole workspace.
            OutdateWorkspace(workspaceId);
        }
    }

    // ---- the cache itself ---------------------------------------------------------------------

    /// <summary>Which deals an owner's cached copy holds: all of them, or those not closed before a day.</summary>
    private sealed record DealCoverage(DateOnly? ClosedFrom)
    {
        public static readonly DealCoverage All = new((DateOnly?)null);
    }

    /// <summary>The versions a part was read under: the workspace's, and the person's entry and deal versions.</summary>
    private readonly record struct Stamp(long Workspace, long Entries, long Deals);

    /// <summary>The cached parts of a person; each is outdated by different writes.</summary>
    private enum Part
    {
        Entries,
        Deals,
        FirstDay,
    }

    /// <summary>One person's cached parts, each complete for its coverage and stamped with the versions it was read under.</summary>
    private sealed record CachedPerson
    {
        public Stamp? EntriesStamp { get; init; }

        public Stamp? DealsStamp { get; init; }

        /// <summary>The first logged day depends on entries and deals alike.</summary>
        public Stamp? FirstDayStamp { get; init; }

        public DateOnly EntriesFrom { get; init; }

        /// <summary>Entries from <see cref="EntriesFrom"/> on, by date; null when not cached.</summary>
        public DailyEntry[]? Entries { get; init; }

        public DealCoverage? DealsClosedFrom { get; init; }

        /// <summary>Deals of <see cref="DealsClosedFrom"/>, by start date; null when not cached.</summary>
        public Deal[]? Deals { get; init; }

        public bool FirstDayKnown { get; init; }

        public DateOnly? FirstDay { get; init; }

        /// <summary>Recency for eviction; the only mutable field, written without a lock (a lost update only skews LRU).</summary>
        public long LastUsed;

        public long Bytes => BytesPerPerson
            + ((Entries?.Length ?? 0) * BytesPerEntry)
            + (Deals?.Sum(d => BytesPerDeal + (d.History.Count * BytesPerStageChange)) ?? 0);
    }

    private static bool Covers(DealCoverage? cached, DateOnly? wanted) =>
        cached is not null && (cached.ClosedFrom is null || (wanted is { } day && cached.ClosedFrom <= day));

    private static void AddWindow(List<DailyEntry> result, DailyEntry[] byDate, DateOnly from, DateOnly to)
    {
        var start = LowerBound(byDate, from);
        for (var i = start; i < byDate.Length && byDate[i].Date <= to; i++)
        {
            result.Add(byDate[i]);
        }
    }

    private static int LowerBound(DailyEntry[] byDate, DateOnly from)
    {
        int low = 0, high = byDate.Length;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (byDate[mid].Date < from)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }
        return low;
    }

    private static void AddDeals(List<Deal> result, Deal[] deals, DateOnly? closedOnOrAfter)
    {
        foreach (var deal in deals)
        {
            if (closedOnOrAfter is not { } day || deal.CloseDate is null || deal.CloseDate >= day)
            {
                result.Add(deal);
            }
        }
    }

    // Today in UTC plus a day, so the horizon check never excludes a window because of the reader's time zone.
    private DateOnly Today() => DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime).AddDays(1);

    private int Stripe(string workspaceId, string personId) =>
        (int)((uint)HashCode.Combine(StringComparer.Ordinal.GetHashCode(workspaceId), StringComparer.Ordinal.GetHashCode(personId)) % VersionStripes);

    private Stamp VersionOf(string workspaceId, string personId)
    {
        var stripe = Stripe(workspaceId, personId);
        return new(_workspaceVersions.GetValueOrDefault(workspaceId), Volatile.Read(ref _entryVersions[stripe]), Volatile.Read(ref _dealVersions[stripe]));
    }

    /// <summary>Whether a part read under <paramref name="read"/> is still valid at <paramref name="now"/>.</summary>
    private static bool Valid(Part part, Stamp? read, Stamp now) => read is { } r && r.Workspace == now.Workspace && part switch
    {
        Part.Entries => r.Entries == now.Entries,
        Part.Deals => r.Deals == now.Deals,
        _ => r.Entries == now.Entries && r.Deals == now.Deals,
    };

    private static Stamp? StampOf(CachedPerson person, Part part) => part switch
    {
        Part.Entries => person.EntriesStamp,
        Part.Deals => person.DealsStamp,
        _ => person.FirstDayStamp,
    };

    /// <summary>The person's cached parts when <paramref name="part"/> was read under the current versions.</summary>
    private CachedPerson? Current(string workspaceId, string personId, Part part) =>
        _people.TryGetValue((workspaceId, personId), out var cached) && Valid(part, StampOf(cached, part), VersionOf(workspaceId, personId)) ? cached : null;

    /// <summary>The parts of <paramref name="person"/> still valid at <paramref name="now"/>; the others are dropped (memory).</summary>
    private static CachedPerson WithoutOutdated(CachedPerson person, Stamp now) => person with
    {
        EntriesStamp = Valid(Part.Entries, person.EntriesStamp, now) ? person.EntriesStamp : null,
        Entries = Valid(Part.Entries, person.EntriesStamp, now) ? person.Entries : null,
        DealsStamp = Valid(Part.Deals, person.DealsStamp, now) ? person.DealsStamp : null,
        Deals = Valid(Part.Deals, person.DealsStamp, now) ? person.Deals : null,
        DealsClosedFrom = Valid(Part.Deals, person.DealsStamp, now) ? person.DealsClosedFrom : null,
        FirstDayStamp = Valid(Part.FirstDay, person.FirstDayStamp, now) ? person.FirstDayStamp : null,
        FirstDayKnown = Valid(Part.FirstDay, person.FirstDayStamp, now) && person.FirstDayKnown,
        FirstDay = Valid(Part.FirstDay, person.FirstDayStamp, now) ? person.FirstDay : null,
    };

    private void Hit(CachedPerson person)
    {
        Interlocked.Increment(ref _hits);
        person.LastUsed = Interlocked.Increment(ref _useCounter);
    }

    /// <summary>Stores a part read under <paramref name="read"/>, kept beside the person's other parts that are still valid.</summary>
    private void Fill(string workspaceId, string personId, Stamp read, Part part, Func<CachedPerson, CachedPerson> withPart)
    {
        if (_budgetBytes == 0)
        {
            return;
        }
        lock (_gate)
        {
            var now = VersionOf(workspaceId, personId);
            if (!Valid(part, read, now))
            {
                // A write outdated our read while it ran; keep nothing from it.
                return;
            }
            var key = (workspaceId, personId);
            _people.TryGetValue(key, out var existing);
            var next = withPart(existing is null ? new CachedPerson() : WithoutOutdated(existing, now));
            next.LastUsed = Interlocked.Increment(ref _useCounter);
            _people[key] = next;
            _bytes += next.Bytes - (existing?.Bytes ?? 0);
            if (_bytes > _budgetBytes)
            {
                Evict();
            }
        }
    }

    /// <summary>Drops the least recently used people until the cache is at 80 % of its budget. Caller holds the gate.</summary>
    private void Evict()
    {
        var target = _budgetBytes * 8 / 10;
        foreach (var (key, person) in _people.OrderBy(p => p.Value.LastUsed).ToList())
        {
            if (_bytes <= target)
            {
                break;
            }
            if (_people.TryRemove(key, out var removed))
            {
                _bytes -= removed.Bytes;
            }
        }
    }

    /// <summary>
    /// Bumps the person's version of <paramref name="part"/> and drops what it outdated. With <paramref name="added"/>
    /// (the entries a committed change stored) and <paramref name="bumpedBeforeCommit"/> (the entry version the change
    /// took before it committed), a cached entry window and first day read before that first bump, with no other write
    /// since, get the new entries instead of being dropped: such a copy cannot hold them yet, and entries are only ever
    /// added by a change, so old copy + added = what the store holds now. A copy read between the two bumps may already
    /// hold them (the commit ran during the read), so it is dropped, never merged: merging it counted a number twice.
    /// </summary>
    private void Outdate(string workspaceId, string personId, Part part, DailyEntry[]? added = null, long? bumpedBeforeCommit = null)
    {
        var stripe = Stripe(workspaceId, personId);
        var bumped = Interlocked.Increment(ref part == Part.Entries ? ref _entryVersions[stripe] : ref _dealVersions[stripe]);
        lock (_gate)
        {
            var key = (workspaceId, personId);
            if (!_people.TryGetValue(key, out var cached))
            {
                return;
            }
            var now = VersionOf(workspaceId, personId);
            var kept = WithoutOutdated(cached, now);
            if (added is { Length: > 0 } && part == Part.Entries && bumpedBeforeCommit is { } first && bumped == first + 1 && now.Entries == bumped)
            {
                var readBefore = first - 1;
                if (cached is { EntriesStamp: { } entriesRead, Entries: { } window } && entriesRead.Workspace == now.Workspace && entriesRead.Entries == readBefore)
                {
                    kept = kept with
                    {
                        Entries = Merge(window, added.Where(e => e.Date >= cached.EntriesFrom)),
                        EntriesFrom = cached.EntriesFrom,
                        EntriesStamp = now,
                    };
                }
                if (cached is { FirstDayStamp: { } firstRead, FirstDayKnown: true } && firstRead.Workspace == now.Workspace
                    && firstRead.Entries == readBefore && firstRead.Deals == now.Deals)
                {
                    var earliest = added.Min(e => e.Date);
                    kept = kept with
                    {
                        FirstDayKnown = true,
                        FirstDay = cached.FirstDay is { } day && day <= earliest ? day : earliest,
                        FirstDayStamp = now,
                    };
                }
            }
            kept.LastUsed = cached.LastUsed;
            _people[key] = kept;
            _bytes += kept.Bytes - cached.Bytes;
        }
    }

    private static DailyEntry[] Merge(DailyEntry[] window, IEnumerable<DailyEntry> added)
    {
        var newest = added.ToArray();
        Array.Sort(newest, ByDateThenRecorded);
        var merged = window.Concat(newest).ToArray();
        // Usually the logged numbers are the newest: appending keeps the order, no sort of the whole window.
        if (window.Length > 0 && newest.Length > 0 && ByDateThenRecorded(window[^1], newest[0]) > 0)
        {
            Array.Sort(merged, ByDateThenRecorded);
        }
        return merged;
    }

    /// <summary>A person's entries in date order, then time recorded, then id (a stable order for equal times).</summary>
    private static int ByDateThenRecorded(DailyEntry a, DailyEntry b)
    {
        var byDate = a.Date.CompareTo(b.Date);
        if (byDate != 0)
        {
            return byDate;
        }
        var byTime = a.RecordedAt.CompareTo(b.RecordedAt);
        return byTime != 0 ? byTime : string.CompareOrdinal(a.Id, b.Id);
    }

    private void OutdateWorkspace(string workspaceId)
    {
        OutdateDirectory(workspaceId);
        _workspaceVersions.AddOrUpdate(workspaceId, 1, (_, v) => v + 1);
        lock (_gate)
        {
            foreach (var key in _people.Keys.Where(k => k.Workspace == workspaceId).ToList())
            {
                if (_people.TryRemove(key, out var removed))
                {
                    _bytes -= removed.Bytes;
                }
            }
        }
    }

    /// <summary>A workspace's teams and people as the inner store lists them, with lookups, read under <see cref="Version"/>.</summary>
    private sealed record WorkspaceDirectory(
        long Version,
        IReadOnlyList<Team> Teams,
        IReadOnlyDictionary<string, Team> TeamsById,
        IReadOnlyList<Person> People,
        IReadOnlyDictionary<string, Person> PeopleById,
        IReadOnlyDictionary<string, Person> PeopleByPlatformUser,
        IReadOnlyDictionary<string, IReadOnlyList<Person>> PeopleByTeam);

    /// <summary>
    /// The workspace's teams and people, read from the inner store when a write changed them since. Same rule as the
    /// activity: the version is taken before the read, and a copy is served only while its version is current.
    /// </summary>
    private WorkspaceDirectory DirectoryOf(string workspaceId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workspaceId);
        var version = _directoryVersions.GetValueOrDefault(workspaceId);
        if (_directories.TryGetValue(workspaceId, out var cached) && cached.Version == version)
        {
            return cached;
        }
        var teams = _inner.ListTeams(workspaceId);
        var people = _inner.ListPeople(workspaceId);
        var byPlatform = new Dictionary<string, Person>(StringComparer.Ordinal);
        foreach (var person in people)
        {
            if (person.PlatformUserId is { } user)
            {
                // The inner store's lookup returns one of them if two people ever share a chat user id; keep the first.
                byPlatform.TryAdd(user, person);
            }
        }
        var directory = new WorkspaceDirectory(
            version,
            teams,
            teams.ToDictionary(t => t.Id, StringComparer.Ordinal),
            people,
            people.ToDictionary(p => p.Id, StringComparer.Ordinal),
            byPlatform,
            people.GroupBy(p => p.TeamId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (IReadOnlyList<Person>)g.ToList(), StringComparer.Ordinal));
        lock (_gate)
        {
            if (_directoryVersions.GetValueOrDefault(workspaceId) == version)
            {
                _directories[workspaceId] = directory;
            }
        }
        return directory;
    }

    private void OutdateDirectory(string workspaceId)
    {
        _directoryVersions.AddOrUpdate(workspaceId, 1, (_, v) => v + 1);
        lock (_gate)
        {
            _directories.TryRemove(workspaceId, out _);
        }
    }
}
