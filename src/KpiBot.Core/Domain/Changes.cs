namespace KpiBot.Domain;

/// <summary>
/// Everything one user action stores, applied atomically and undone as one.
/// <see cref="SourceId"/> is the idempotency key: the platform message id (Slack event_id or
/// command trigger, Teams activity id) or an import's file hash; the same key twice stores once.
/// </summary>
/// <param name="Summary">What the change did, in words the author reads back on undo ("booked 5, held 3 on 2026-12-04").</param>
public sealed record ChangeSet(
    string WorkspaceId,
    string AuthorId,
    string SourceId,
    string Summary,
    DateTimeOffset At,
    IReadOnlyList<DailyEntry> AddEntries,
    IReadOnlyList<Deal> UpsertDeals,
    IReadOnlyList<Person> UpsertPeople,
    IReadOnlyList<Team> UpsertTeams)
{
    /// <summary>A change set that stores only daily entries.</summary>
    public static ChangeSet Entries(string workspaceId, string authorId, string sourceId, string summary, DateTimeOffset at, IReadOnlyList<DailyEntry> entries) =>
        new(workspaceId, authorId, sourceId, summary, at, entries, [], [], []);
}

/// <summary>The audit record of an applied change set: who, when, what, and whether it was undone.</summary>
public sealed record ChangeRecord(
    string Id,
    string WorkspaceId,
    string AuthorId,
    string SourceId,
    string Summary,
    DateTimeOffset At,
    bool Undone,
    DateTimeOffset? UndoneAt);
