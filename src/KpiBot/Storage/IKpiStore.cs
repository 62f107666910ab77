using KpiBot.Domain;

namespace KpiBot.Storage;

/// <summary>
/// The seam between KpiBot and its database. The KPI code never sees it: handlers read records
/// through it and pass them to the pure KPI functions. LiteDB is the embedded default; a server
/// database can implement the same contract.
/// Every write is durable when the call returns ("an acknowledged entry is on disk").
/// </summary>
public interface IKpiStore
{
    // ---- workspaces, teams, people -------------------------------------------------------

    /// <summary>The workspace, or null when KpiBot has never seen it.</summary>
    Workspace? FindWorkspace(string workspaceId);

    /// <summary>Creates the workspace and its default team if missing; returns the stored workspace.</summary>
    Workspace EnsureWorkspace(string workspaceId, Platform platform, string name, DateTimeOffset at);

    /// <summary>All teams of the workspace (at least the default team once it exists).</summary>
    IReadOnlyList<Team> ListTeams(string workspaceId);

    /// <summary>A team by id inside the workspace.</summary>
    Team? FindTeam(string workspaceId, string teamId);

    /// <summary>A person by KpiBot id.</summary>
    Person? FindPerson(string workspaceId, string personId);

    /// <summary>A person by chat user id (Slack <c>U…</c>, Teams aadObjectId).</summary>
    Person? FindPersonByPlatformUser(string workspaceId, string platformUserId);

    /// <summary>People of the workspace, optionally of one team, in display-name order.</summary>
    IReadOnlyList<Person> ListPeople(string workspaceId, string? teamId = null);

    // ---- numbers and deals ----------------------------------------------------------------

    /// <summary>Daily entries of the given people (all people when null) with dates in [from, to], in <see cref="EntryOrder"/>.</summary>
    IReadOnlyList<DailyEntry> GetEntries(string workspaceId, IReadOnlyCollection<string>? personIds, DateOnly from, DateOnly to);

    /// <summary>Deals of the given owners (all when null) that were not closed before <paramref name="closedOnOrAfter"/> (all when null).</summary>
    IReadOnlyList<Deal> GetDeals(string workspaceId, IReadOnlyCollection<string>? ownerIds, DateOnly? closedOnOrAfter = null);

    /// <summary>
    /// The person's first logged day over all time: the earliest entry date or deal start. KPI windows load
    /// only recent records, so this tells the engine where the person's series really starts.
    /// </summary>
    DateOnly? FirstActivityDate(string workspaceId, string personId);

    /// <summary>
    /// <see cref="FirstActivityDate"/> of many people at once (a team report, a nudge run): every distinct id of
    /// <paramref name="personIds"/> is a key of the result, null for a person with no entries and no deals.
    /// </summary>
    IReadOnlyDictionary<string, DateOnly?> FirstActivityDates(string workspaceId, IReadOnlyCollection<string> personIds);

    /// <summary>A deal by id.</summary>
    Deal? FindDeal(string workspaceId, string dealId);

    /// <summary>Open deals of an owner whose name matches loosely (case and accents ignored).</summary>
    IReadOnlyList<Deal> FindOpenDealsByName(string workspaceId, string ownerId, string name);

    // ---- changes ----------------------------------------------------------------------------

    /// <summary>
    /// Applies the change set atomically and durably. Idempotent by (workspace, SourceId): a second
    /// call with the same source id stores nothing and returns the first change's record with
    /// <see cref="ApplyResult.Duplicate"/> set. The store assigns entry ChangeIds.
    /// </summary>
    ApplyResult Apply(ChangeSet change);

    /// <summary>The author's most recent change that is not undone, or null.</summary>
    ChangeRecord? LastUndoable(string workspaceId, string authorId);

    /// <summary>Reverts a change (entries removed, deals/people/teams restored to their before-image) and marks it undone.</summary>
    ChangeRecord? Undo(string workspaceId, string changeId, DateTimeOffset at);

    /// <summary>The audit log of a workspace, newest first.</summary>
    IReadOnlyList<ChangeRecord> Audit(string workspaceId, int limit = 100);

    // ---- bulk import ----------------------------------------------------------------------

    /// <summary>
    /// Inserts or replaces many deals keyed by <see cref="Deal.ExternalId"/> in one transaction, as one change
    /// record (undoable). Returns how many were inserted, updated and unchanged.
    /// </summary>
    BulkResult UpsertDealsByExternalId(string workspaceId, string authorId, string sourceId, string summary, IReadOnlyList<Deal> deals, IReadOnlyList<Person> newPeople, DateTimeOffset at);

    // ---- platform delivery bookkeeping -------------------------------------------------------

    /// <summary>
    /// Records that an inbound platform delivery (Slack event_id, Teams activity id) was taken.
    /// Returns false when it was already recorded: a retry, to be acknowledged and dropped.
    /// </summary>
    bool TryMarkInboundProcessed(string key, DateTimeOffset at);
}

/// <summary>The outcome of <see cref="IKpiStore.Apply"/>.</summary>
/// <param name="Duplicate">True when the source id was already applied; nothing new was stored.</param>
public sealed record ApplyResult(ChangeRecord Change, bool Duplicate);

/// <summary>Counts from a bulk upsert.</summary>
public sealed record BulkResult(int Inserted, int Updated, int Unchanged, string? ChangeId);

/// <summary>The order <see cref="IKpiStore.GetEntries"/> returns: by date, then person, then the time recorded.</summary>
public static class EntryOrder
{
    /// <summary>Compares two entries in that order.</summary>
    public static int Compare(DailyEntry a, DailyEntry b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var byDate = a.Date.CompareTo(b.Date);
        if (byDate != 0)
        {
            return byDate;
        }
        var byPerson = string.CompareOrdinal(a.PersonId, b.PersonId);
        return byPerson != 0 ? byPerson : a.RecordedAt.CompareTo(b.RecordedAt);
    }
}
