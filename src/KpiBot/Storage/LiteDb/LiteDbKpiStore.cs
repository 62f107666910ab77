using KpiBot.Domain;
using LiteDB;

namespace KpiBot.Storage.LiteDb;

/// <summary>
/// The embedded <see cref="IKpiStore"/>: every record in one LiteDB file (see <see cref="LiteDbContext"/>
/// for what "durable" means there). Writes are serialised by one lock, so an idempotency check and the
/// write it guards never race; reads run in parallel.
/// </summary>
/// <remarks>
/// Authorship of undo: the conversation layer only offers <see cref="LastUndoable"/> of the person who
/// asks, and <see cref="Undo"/> refuses a change of another workspace. <see cref="Undo"/> itself does not
/// know who is asking, so a caller that takes a change id from elsewhere must check
/// <see cref="ChangeRecord.AuthorId"/> first.
/// </remarks>
public sealed class LiteDbKpiStore : IKpiStore
{
    internal const string Workspaces = "workspaces";
    internal const string Teams = "teams";
    internal const string People = "people";
    internal const string Entries = "entries";
    internal const string Deals = "deals";
    internal const string Changes = "changes";
    internal const string UndoImages = "undo_images";
    internal const string Inbound = "inbound";

    /// <summary>How long a processed inbound delivery id is remembered (platform retries come within minutes).</summary>
    public static readonly TimeSpan InboundRetention = TimeSpan.FromDays(7);

    private static readonly TimeSpan PruneEvery = TimeSpan.FromHours(1);

    /// <summary>Bulk upserts of fewer deals look each one up by its external key; larger ones read the workspace once.</summary>
    private const int SeekExternalKeysBelow = 256;

    // Well under LiteDB's document size limit (keys are ~50 bytes).
    private const int CreatedKeysPerImage = 5000;

    internal const string DealOwnerCloseIndex = "OwnerClose";
    internal const string DealOwnerStartIndex = "OwnerStart";

    private const string OpenCloseText = DealDoc.OpenCloseText;

    /// <summary>The (owner, close) index: <see cref="DealDoc.OwnerCloseKey"/>.</summary>
    internal const string DealOwnerCloseExpression = "$." + nameof(DealDoc.OwnerCloseKey);

    /// <summary>The (owner, start) index: <see cref="DealDoc.OwnerStartKey"/>.</summary>
    internal const string DealOwnerStartExpression = "$." + nameof(DealDoc.OwnerStartKey);

    private readonly LiteDatabase _db;
    private readonly BsonMapper _mapper;
    private readonly TimeProvider _clock;
    private readonly Lock _writeLock = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<PendingChange> _pending = new();
    private DateTimeOffset _lastPrune = DateTimeOffset.MinValue;

    /// <summary>Creates the store on the process's database and makes sure its indexes exist.</summary>
    public LiteDbKpiStore(LiteDbContext context, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(context);
        _db = context.Database;
        _mapper = context.Database.Mapper;
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        EnsureIndexes();
    }

    private ILiteCollection<WorkspaceDoc> WorkspaceDocs => _db.GetCollection<WorkspaceDoc>(Workspaces);
    private ILiteCollection<TeamDoc> TeamDocs => _db.GetCollection<TeamDoc>(Teams);
    private ILiteCollection<PersonDoc> PersonDocs => _db.GetCollection<PersonDoc>(People);
    private ILiteCollection<EntryDoc> EntryDocs => _db.GetCollection<EntryDoc>(Entries);
    private ILiteCollection<DealDoc> DealDocs => _db.GetCollection<DealDoc>(Deals);
    private ILiteCollection<ChangeDoc> ChangeDocs => _db.GetCollection<ChangeDoc>(Changes);
    private ILiteCollection<BsonDocument> UndoImageDocs => _db.GetCollection(UndoImages);
    private ILiteCollection<InboundDoc> InboundDocs => _db.GetCollection<InboundDoc>(Inbound);

    private void EnsureIndexes()
    {
        TeamDocs.EnsureIndex(x => x.WorkspaceId);
        PersonDocs.EnsureIndex(x => x.WorkspaceId);
        PersonDocs.EnsureIndex(x => x.PlatformKey);
        // (workspace, person, date) and (workspace, date) as one composite string each: range scans.
        EntryDocs.EnsureIndex(x => x.PersonDateKey);
        EntryDocs.EnsureIndex(x => x.WorkspaceDateKey);
        EntryDocs.EnsureIndex(x => x.ChangeId);
        EnsureDealRangeIndexes();
        DealDocs.EnsureIndex(x => x.ExternalKey, unique: true);
        ChangeDocs.EnsureIndex(x => x.SourceKey, unique: true);
        ChangeDocs.EnsureIndex(x => x.AuthorAtKey);
        ChangeDocs.EnsureIndex(x => x.WorkspaceAtKey);
        UndoImageDocs.EnsureIndex("ChangeId");
        InboundDocs.EnsureIndex(x => x.At);
    }

    /// <summary>
    /// The two deal range indexes over stored keys (see <see cref="DealDoc.OwnerCloseKey"/>). Files written by earlier
    /// versions have expression indexes of the same names (or none) and deals without the stored keys: those deals
    /// get their keys in one transaction and the indexes are rebuilt, once. Their range over a workspace prefix also
    /// serves "every deal of a workspace", so the plain WorkspaceId and OwnerKey indexes of older files are dropped:
    /// every index costs each deal write (an 8,800-row import writes 8,300 deals) and these two answered nothing else.
    /// </summary>
    private void EnsureDealRangeIndexes()
    {
        var expressions = _db.GetCollection("$indexes").Find(Query.EQ("collection", Deals))
            .ToDictionary(i => i["name"].AsString, i => i["expression"].AsString, StringComparer.Ordinal);
        var current = expressions.TryGetValue(DealOwnerCloseIndex, out var close) && close == DealOwnerCloseExpression
            && expressions.TryGetValue(DealOwnerStartIndex, out var start) && start == DealOwnerStartExpression;
        if (!current)
        {
            InTransaction(() =>
            {
                DealDocs.DropIndex(DealOwnerCloseIndex);
                DealDocs.DropIndex(DealOwnerStartIndex);
                var stale = DealDocs.FindAll().ToList();
                foreach (var doc in stale)
                {
                    doc.OwnerCloseKey = DealDoc.OwnerCloseKeyOf(doc.WorkspaceId, doc.OwnerId, DocKeys.Date(doc.CloseDate));
                    doc.OwnerStartKey = DealDoc.OwnerStartKeyOf(doc.WorkspaceId, doc.OwnerId, DocKeys.Date(doc.StartDate));
                }
                DealDocs.Update(stale);
            });
        }
        DealDocs.EnsureIndex(DealOwnerCloseIndex, DealOwnerCloseExpression);
        DealDocs.EnsureIndex(DealOwnerStartIndex, DealOwnerStartExpression);
        DealDocs.DropIndex(nameof(DealDoc.WorkspaceId));
        DealDocs.DropIndex("OwnerKey");
    }

    /// <summary>Every deal of a workspace: its whole range of the (owner, start) index.</summary>
    private IEnumerable<DealDoc> WorkspaceDeals(string workspaceId)
    {
        var prefix = workspaceId + DocKeys.Separator;
        return DealDocs.Find(PrefixRange(DealOwnerStartExpression, prefix));
    }

    // ---- workspaces, teams, people -------------------------------------------------------

    /// <inheritdoc />
    public Workspace? FindWorkspace(string workspaceId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workspaceId);
        return WorkspaceDocs.FindById(workspaceId)?.ToDomain();
    }

    /// <inheritdoc />
    public Workspace EnsureWorkspace(string workspaceId, Platform platform, string name, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workspaceId);
        ArgumentNullException.ThrowIfNull(name);
        // Every message calls this: a known workspace is answered without the write lock, so reads never queue
        // behind another message's durable commit. Workspaces are never deleted, so a doc seen here stays valid.
        if (WorkspaceDocs.FindById(workspaceId) is { } known)
        {
            return known.ToDomain();
        }
        lock (_writeLock)
        {
            var existing = WorkspaceDocs.FindById(workspaceId);
            if (existing is not null)
            {
                return existing.ToDomain();
            }
            var workspace = new Workspace(workspaceId, platform, string.IsNullOrWhiteSpace(name) ? workspaceId : name, at);
            InTransaction(() =>
            {
                WorkspaceDocs.Insert(WorkspaceDoc.From(workspace));
                var teamKey = TeamDoc.KeyOf(workspaceId, TeamIds.Default);
                if (TeamDocs.FindById(teamKey) is null)
                {
                    TeamDocs.Insert(TeamDoc.From(Defaults.NewTeam(TeamIds.Default, workspaceId, string.IsNullOrWhiteSpace(name) ? "Sales" : name, at)));
                }
            });
            return workspace;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<Team> ListTeams(string workspaceId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workspaceId);
        return TeamDocs.Find(x => x.WorkspaceId == workspaceId)
            .Select(t => t.ToDomain())
            .OrderBy(t => t.Id == TeamIds.Default ? 0 : 1)
            .ThenBy(t => t.Name, StringComparer.CurrentCultureIgnoreCase)
            .ToList();
    }

    /// <inheritdoc />
    public Team? FindTeam(string workspaceId, string teamId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workspaceId);
        ArgumentException.ThrowIfNullOrWhiteSpace(teamId);
        return TeamDocs.FindById(TeamDoc.KeyOf(workspaceId, teamId))?.ToDomain();
    }

    /// <inheritdoc />
    public Person? FindPerson(string workspaceId, string personId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workspaceId);
        ArgumentException.ThrowIfNullOrWhiteSpace(personId);
        return PersonDocs.FindById(PersonDoc.KeyOf(workspaceId, personId))?.ToDomain();
    }

    /// <inheritdoc />
    public Person? FindPersonByPlatformUser(string workspaceId, string platformUserId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workspaceId);
        ArgumentException.ThrowIfNullOrWhiteSpace(platformUserId);
        var key = DocKeys.Of(workspaceId, platformUserId);
        return PersonDocs.FindOne(x => x.PlatformKey == key)?.ToDomain();
    }

    /// <inheritdoc />
    public IReadOnlyList<Person> ListPeople(string workspaceId, string? teamId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workspaceId);
        return PersonDocs.Find(x => x.WorkspaceId == workspaceId)
            .Where(p => teamId is null || p.TeamId == teamId)
            .Select(p => p.ToDomain())
            .OrderBy(p => p.DisplayName, StringComparer.CurrentCultureIgnoreCase)
            .ThenBy(p => p.Id, StringComparer.Ordinal)
            .ToList();
    }

    // ---- numbers and deals ----------------------------------------------------------------

    /// <inheritdoc />
    public IReadOnlyList<DailyEntry> GetEntries(string workspaceId, IReadOnlyCollection<string>? personIds, DateOnly from, DateOnly to)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workspaceId);
        if (to < from)
        {
            return [];
        }
        var result = new List<DailyEntry>();
        var changeIds = new ChangeIdSharing();
        if (personIds is null)
        {
            var low = DocKeys.Of(workspaceId, DocKeys.DateText(from));
            var high = DocKeys.Of(workspaceId, DocKeys.DateText(to));
            foreach (var doc in EntryDocs.Find(Query.Between(nameof(EntryDoc.WorkspaceDateKey), low, high)))
            {
                result.Add(doc.ToDomain(changeIds));
            }
        }
        else
        {
            foreach (var personId in personIds.Distinct(StringComparer.Ordinal))
            {
                var low = EntryDoc.PersonDate(workspaceId, personId, from);
                var high = EntryDoc.PersonDate(workspaceId, personId, to);
                foreach (var doc in EntryDocs.Find(Query.Between(nameof(EntryDoc.PersonDateKey), low, high)))
                {
                    result.Add(doc.ToDomain(changeIds));
                }
            }
        }
        result.Sort(EntryOrder.Compare);
        return result;
    }

    /// <inheritdoc />
    public IReadOnlyList<Deal> GetDeals(string workspaceId, IReadOnlyCollection<string>? ownerIds, DateOnly? closedOnOrAfter = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workspaceId);
        var threshold = DocKeys.Date(closedOnOrAfter);
        IEnumerable<DealDoc> docs;
        if (ownerIds is null)
        {
            docs = WorkspaceDeals(workspaceId)
                .Where(d => threshold is null || d.CloseDate is null || d.CloseDate >= threshold);
        }
        else if (closedOnOrAfter is { } from)
        {
            // "Not closed before from" is one range of the (owner, close) index: [from, open].
            var fromText = DocKeys.DateText(from);
            docs = ownerIds.Distinct(StringComparer.Ordinal).SelectMany(owner =>
            {
                var key = DocKeys.Of(workspaceId, owner);
                return DealDocs.Find(Query.Between(DealOwnerCloseExpression, DocKeys.Of(key, fromText), DocKeys.Of(key, OpenCloseText)));
            });
        }
        else
        {
            docs = ownerIds.Distinct(StringComparer.Ordinal).SelectMany(owner =>
            {
                var key = DocKeys.Of(workspaceId, owner);
                return OwnerDeals(key);
            });
        }
        return docs
            .Select(d => d.ToDomain())
            .OrderBy(d => d.StartDate)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Every deal of an owner (workspace ␟ owner), in start-date order: the whole range of the (owner, start) index.</summary>
    private IEnumerable<DealDoc> OwnerDeals(string ownerKey) =>
        DealDocs.Find(Query.Between(DealOwnerStartExpression, DocKeys.Of(ownerKey, "00000000"), DocKeys.Of(ownerKey, OpenCloseText)));

    /// <inheritdoc />
    public DateOnly? FirstActivityDate(string workspaceId, string personId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workspaceId);
        ArgumentException.ThrowIfNullOrWhiteSpace(personId);
        return FirstActivityDateOf(workspaceId, personId);
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, DateOnly?> FirstActivityDates(string workspaceId, IReadOnlyCollection<string> personIds)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workspaceId);
        ArgumentNullException.ThrowIfNull(personIds);
        var result = new Dictionary<string, DateOnly?>(personIds.Count, StringComparer.Ordinal);
        foreach (var personId in personIds)
        {
            if (!result.ContainsKey(personId))
            {
                result[personId] = FirstActivityDateOf(workspaceId, personId);
            }
        }
        return result;
    }

    /// <summary>
    /// Two index seeks: the first key of the person's (workspace, person, date) entry range and the first key
    /// of the owner's (workspace, owner, start) deal range. Both keys end in yyyymmdd, so nothing is mapped.
    /// </summary>
    private DateOnly? FirstActivityDateOf(string workspaceId, string personId)
    {
        var low = EntryDoc.PersonDate(workspaceId, personId, DateOnly.MinValue);
        var high = EntryDoc.PersonDate(workspaceId, personId, DateOnly.MaxValue);
        var firstEntryKey = EntryDocs.Query()
            .Where(Query.Between(nameof(EntryDoc.PersonDateKey), low, high))
            .Select(x => x.PersonDateKey)
            .Limit(1)
            .FirstOrDefault();
        var ownerKey = DocKeys.Of(workspaceId, personId);
        var firstDeal = DealDocs.Query()
            .Where(Query.Between(DealOwnerStartExpression, DocKeys.Of(ownerKey, "00000000"), DocKeys.Of(ownerKey, OpenCloseText)))
            .Select(BsonExpression.Create("$.StartDate"))
            .Limit(1)
            .ToDocuments()
            .FirstOrDefault();
        DateOnly? entryDay = firstEntryKey is null ? null : DocKeys.Date(int.Parse(firstEntryKey.AsSpan(firstEntryKey.Length - 8), System.Globalization.CultureInfo.InvariantCulture));
        DateOnly? dealDay = firstDeal is null ? null : DocKeys.Date(firstDeal["StartDate"].AsInt32);
        return (entryDay, dealDay) switch
        {
            ({ } e, { } d) => e < d ? e : d,
            ({ } e, null) => e,
            (null, { } d) => d,
            _ => null,
        };
    }

    /// <inheritdoc />
    public Deal? FindDeal(string workspaceId, string dealId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workspaceId);
        ArgumentException.ThrowIfNullOrWhiteSpace(dealId);
        return DealDocs.FindById(DealDoc.KeyOf(workspaceId, dealId))?.ToDomain();
    }

    /// <inheritdoc />
    public IReadOnlyList<Deal> FindOpenDealsByName(string workspaceId, string ownerId, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workspaceId);
        ArgumentException.ThrowIfNullOrWhiteSpace(ownerId);
        var wanted = NameFolding.Fold(name ?? "");
        if (wanted.Length == 0)
        {
            return [];
        }
        var key = DocKeys.Of(workspaceId, ownerId);
        var open = OwnerDeals(key).Where(d => d.Outcome == DealOutcome.Open).ToList();
        // Exact (folded) matches win; otherwise names that start with or contain what was typed.
        var exact = open.Where(d => d.NameFolded == wanted).ToList();
        var chosen = exact.Count > 0 ? exact : open.Where(d => d.NameFolded.Contains(wanted, StringComparison.Ordinal)).ToList();
        return chosen.Select(d => d.ToDomain()).OrderBy(d => d.Name, StringComparer.CurrentCultureIgnoreCase).ToList();
    }

    // ---- changes ----------------------------------------------------------------------------

    /// <inheritdoc />
    /// <remarks>
    /// Group commit: every call queues its change set, then takes the write lock. Whoever holds the lock writes every
    /// change set queued so far in one transaction, so one commit (page writes, device sync) acknowledges a whole group of
    /// concurrent messages instead of each paying its own; a caller whose change was written by another returns at
    /// once. Each change set is still all-or-nothing: one that fails validation is refused alone, and an unexpected
    /// failure while writing rolls the group back and writes its change sets one transaction each.
    /// </remarks>
    public ApplyResult Apply(ChangeSet change)
    {
        ArgumentNullException.ThrowIfNull(change);
        CheckShape(change);
        var pending = new PendingChange(change);
        _pending.Enqueue(pending);
        lock (_writeLock)
        {
            if (!pending.Done)
            {
                WritePending();
            }
        }
        if (pending.Error is { } error)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        }
        return pending.Result!;
    }

    /// <summary>A queued change set and, once written, its outcome. Read by its caller after the lock was released.</summary>
    private sealed class PendingChange(ChangeSet change)
    {
        public ChangeSet Change { get; } = change;
        public ApplyResult? Result { get; set; }
        public Exception? Error { get; set; }
        public bool Done { get; set; }
    }

    /// <summary>How many queued change sets one group commit takes at most (bounds one transaction's size).</summary>
    private const int MaxGroup = 256;

    /// <summary>Writes the queued change sets in groups. Caller holds the write lock.</summary>
    private void WritePending()
    {
        while (!_pending.IsEmpty)
        {
            var group = new List<PendingChange>();
            while (group.Count < MaxGroup && _pending.TryDequeue(out var next))
            {
                group.Add(next);
            }
            try
            {
                InTransaction(() =>
                {
                    foreach (var item in group)
                    {
                        item.Result = null;
                        item.Error = null;
                        WriteOne(item);
                    }
                });
            }
#pragma warning disable CA1031 // The group is retried one by one; each caller gets its own exception.
            catch (Exception)
#pragma warning restore CA1031
            {
                // Something other than validation failed mid-group (rolled back): write each alone, so only the
                // change set that fails gets the error.
                foreach (var item in group)
                {
                    item.Result = null;
                    item.Error = null;
                    try
                    {
                        InTransaction(() => WriteOne(item));
                    }
#pragma warning disable CA1031 // Handed to the caller of Apply, who sees it thrown.
                    catch (Exception alone)
#pragma warning restore CA1031
                    {
                        item.Result = null;
                        item.Error = alone;
                    }
                }
            }
            foreach (var item in group)
            {
                item.Done = true;
            }
        }
    }

    /// <summary>
    /// One change set inside the open group transaction: the idempotency check (which sees earlier change sets of
    /// the same group), validation (a refusal is recorded for this change set only, before anything of it is
    /// written), then its writes.
    /// </summary>
    private void WriteOne(PendingChange item)
    {
        var change = item.Change;
        var sourceKey = ChangeDoc.SourceKeyOf(change.WorkspaceId, change.SourceId);
        var previous = ChangeDocs.FindOne(x => x.SourceKey == sourceKey);
        if (previous is not null)
        {
            item.Result = new ApplyResult(previous.ToDomain(), Duplicate: true);
            return;
        }

        try
        {
            CheckEntries(change);
        }
        catch (InvalidEntryException refused)
        {
            item.Error = refused;
            return;
        }

        var changeId = NewId();
        var doc = ChangeDoc.New(changeId, change.WorkspaceId, change.AuthorId, change.SourceId, sourceKey, change.Summary, change.At);
        ChangeDocs.Insert(doc);
        var seq = 0;
        foreach (var team in change.UpsertTeams)
        {
            UpsertWithImage(Teams, changeId, seq++, TeamDoc.From(team), TeamDoc.KeyOf(team.WorkspaceId, team.Id));
        }
        foreach (var person in change.UpsertPeople)
        {
            UpsertWithImage(People, changeId, seq++, PersonDoc.From(person), PersonDoc.KeyOf(person.WorkspaceId, person.Id));
        }
        foreach (var deal in change.UpsertDeals)
        {
            UpsertWithImage(Deals, changeId, seq++, DealDoc.From(deal), DealDoc.KeyOf(deal.WorkspaceId, deal.Id));
        }
        if (change.AddEntries.Count > 0)
        {
            EntryDocs.InsertBulk(change.AddEntries.Select(e => EntryDoc.From(e with
            {
                Id = string.IsNullOrWhiteSpace(e.Id) ? NewId() : e.Id,
                ChangeId = changeId,
            })));
        }
        item.Result = new ApplyResult(doc.ToDomain(), Duplicate: false);
    }

    /// <inheritdoc />
    public ChangeRecord? LastUndoable(string workspaceId, string authorId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workspaceId);
        ArgumentException.ThrowIfNullOrWhiteSpace(authorId);
        var prefix = DocKeys.Of(workspaceId, authorId, "");
        return ChangeDocs.Query()
            .Where(PrefixRange(nameof(ChangeDoc.AuthorAtKey), prefix))
            .OrderByDescending(x => x.AuthorAtKey)
            .ToEnumerable()
            .FirstOrDefault(c => !c.Undone)?
            .ToDomain();
    }

    /// <inheritdoc />
    public ChangeRecord? Undo(string workspaceId, string changeId, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workspaceId);
        ArgumentException.ThrowIfNullOrWhiteSpace(changeId);
        lock (_writeLock)
        {
            var doc = ChangeDocs.FindById(changeId);
            if (doc is null || doc.WorkspaceId != workspaceId)
            {
                // Unknown here, or another workspace's change: nothing crosses workspaces.
                return null;
            }
            if (doc.Undone)
            {
                return doc.ToDomain();
            }
            InTransaction(() =>
            {
                EntryDocs.DeleteMany(x => x.ChangeId == changeId);
                // Restore in reverse order of writing, so a document touched twice ends at its first image.
                var images = UndoImageDocs.Find(Query.EQ("ChangeId", changeId)).OrderByDescending(i => i["Seq"].AsInt32).ToList();
                foreach (var image in images)
                {
                    var target = _db.GetCollection(image["Collection"].AsString);
                    if (image["Created"].IsArray)
                    {
                        foreach (var created in image["Created"].AsArray)
                        {
                            target.Delete(created);
                        }
                        continue;
                    }
                    var before = image["Before"];
                    if (before.IsNull)
                    {
                        target.Delete(image["Target"]);
                    }
                    else
                    {
                        target.Upsert(before.AsDocument);
                    }
                }
                doc.Undone = true;
                doc.UndoneAt = DocKeys.Ticks(at);
                ChangeDocs.Update(doc);
            });
            return doc.ToDomain();
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<ChangeRecord> Audit(string workspaceId, int limit = 100)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workspaceId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var prefix = DocKeys.Of(workspaceId, "");
        return ChangeDocs.Query()
            .Where(PrefixRange(nameof(ChangeDoc.WorkspaceAtKey), prefix))
            .OrderByDescending(x => x.WorkspaceAtKey)
            .Limit(limit)
            .ToEnumerable()
            .Select(c => c.ToDomain())
            .ToList();
    }

    // ---- bulk import ----------------------------------------------------------------------

    /// <inheritdoc />
    public BulkResult UpsertDealsByExternalId(string workspaceId, string authorId, string sourceId, string summary, IReadOnlyList<Deal> deals, IReadOnlyList<Person> newPeople, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workspaceId);
        ArgumentException.ThrowIfNullOrWhiteSpace(authorId);
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceId);
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(deals);
        ArgumentNullException.ThrowIfNull(newPeople);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var deal in deals)
        {
            RequireWorkspace(workspaceId, deal.WorkspaceId, $"deal '{deal.Name}'");
            if (string.IsNullOrWhiteSpace(deal.ExternalId))
            {
                throw new ArgumentException($"Deal '{deal.Name}' has no external id; a bulk upsert matches deals by their CRM id, so every deal needs one.", nameof(deals));
            }
            if (!seen.Add(deal.ExternalId))
            {
                throw new ArgumentException($"The external id '{deal.ExternalId}' appears twice; each CRM row must have its own id.", nameof(deals));
            }
        }
        foreach (var person in newPeople)
        {
            RequireWorkspace(workspaceId, person.WorkspaceId, $"person '{person.DisplayName}'");
        }

        lock (_writeLock)
        {
            var existingByExternal = new Dictionary<string, DealDoc>(StringComparer.Ordinal);
            if (deals.Count < SeekExternalKeysBelow)
            {
                // A few rows into a workspace of maybe 100,000 deals: one seek of the unique external-key index per
                // row, not a read of every deal (the load driver's seeding, one import per person, was quadratic).
                foreach (var deal in deals)
                {
                    // Query.EQ on the field, not a lambda: LiteDB translates a lambda anew on every call.
                    if (DealDocs.FindOne(Query.EQ(nameof(DealDoc.ExternalKey), DealDoc.ExternalKeyOf(workspaceId, deal.ExternalId!))) is { } doc)
                    {
                        existingByExternal[deal.ExternalId!] = doc;
                    }
                }
            }
            else
            {
                // A CRM file: one pass over the workspace's deals costs less than thousands of seeks (an 8,800-row
                // import spent 170 ms seeking into an empty workspace).
                foreach (var doc in WorkspaceDeals(workspaceId))
                {
                    if (doc.ExternalId is not null)
                    {
                        existingByExternal[doc.ExternalId] = doc;
                    }
                }
            }

            var inserts = new List<DealDoc>();
            var updates = new List<(DealDoc Before, DealDoc After)>();
            var unchanged = 0;
            foreach (var deal in deals)
            {
                if (existingByExternal.TryGetValue(deal.ExternalId!, out var current))
                {
                    // Keep the stored id: chat commands and earlier changes refer to it.
                    var next = DealDoc.From(deal with { Id = current.DealId });
                    if (SameDocument(current, next))
                    {
                        unchanged++;
                    }
                    else
                    {
                        updates.Add((current, next));
                    }
                }
                else
                {
                    inserts.Add(DealDoc.From(string.IsNullOrWhiteSpace(deal.Id) ? deal with { Id = NewId() } : deal));
                }
            }

            var peopleWrites = new List<(PersonDoc? Before, PersonDoc After)>();
            foreach (var person in newPeople)
            {
                var next = PersonDoc.From(person);
                var current = PersonDocs.FindById(next.Key);
                if (current is null || !SameDocument(current, next))
                {
                    peopleWrites.Add((current, next));
                }
            }

            if (inserts.Count == 0 && updates.Count == 0 && peopleWrites.Count == 0)
            {
                return new BulkResult(0, 0, unchanged, null);
            }

            var changeId = NewId();
            var sourceKey = ChangeDoc.SourceKeyOf(workspaceId, sourceId);
            if (ChangeDocs.Exists(x => x.SourceKey == sourceKey))
            {
                // The same file was imported before and the data changed since (or that import was undone):
                // this is a new change, so it needs its own idempotency key.
                sourceKey = ChangeDoc.SourceKeyOf(workspaceId, $"{sourceId}#{DocKeys.TicksText(at)}");
            }
            var change = ChangeDoc.New(changeId, workspaceId, authorId, sourceId, sourceKey, summary, at);
            InTransaction(() =>
            {
                ChangeDocs.Insert(change);
                var images = new List<BsonDocument>(inserts.Count + updates.Count + peopleWrites.Count);
                var seq = 0;
                foreach (var (before, after) in peopleWrites)
                {
                    images.Add(Image(changeId, seq++, People, after.Key, before is null ? null : _mapper.ToDocument(before)));
                }
                // Created deals need only their keys to be undone: one image per chunk of keys keeps
                // the import at one document write per row instead of two.
                foreach (var chunk in inserts.Chunk(CreatedKeysPerImage))
                {
                    images.Add(new BsonDocument
                    {
                        ["ChangeId"] = changeId,
                        ["Seq"] = seq++,
                        ["Collection"] = Deals,
                        ["Created"] = new BsonArray(chunk.Select(d => new BsonValue(d.Key))),
                    });
                }
                foreach (var (before, after) in updates)
                {
                    images.Add(Image(changeId, seq++, Deals, after.Key, _mapper.ToDocument(before)));
                }
                UndoImageDocs.InsertBulk(images);
                foreach (var (_, after) in peopleWrites)
                {
                    PersonDocs.Upsert(after);
                }
                DealDocs.InsertBulk(inserts);
                DealDocs.Update(updates.Select(u => u.After));
            });
            return new BulkResult(inserts.Count, updates.Count, unchanged, changeId);
        }
    }

    // ---- platform delivery bookkeeping -------------------------------------------------------

    /// <inheritdoc />
    public bool TryMarkInboundProcessed(string key, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        lock (_writeLock)
        {
            PruneInbound();
            if (InboundDocs.FindById(key) is not null)
            {
                return false;
            }
            InboundDocs.Insert(new InboundDoc { Key = key, At = DocKeys.Ticks(at) });
            return true;
        }
    }

    private void PruneInbound()
    {
        var now = _clock.GetUtcNow();
        if (now - _lastPrune < PruneEvery)
        {
            return;
        }
        _lastPrune = now;
        var cutoff = DocKeys.Ticks(now - InboundRetention);
        InboundDocs.DeleteMany(x => x.At < cutoff);
    }

    // ---- helpers ----------------------------------------------------------------------------

    /// <summary>
    /// Every key that starts with <paramref name="prefix"/>, as an index range. Not <c>Query.StartsWith</c>:
    /// in LiteDB 5.0.21 a LIKE index seek combined with a descending order returns no rows, while a
    /// BETWEEN range scans the index correctly in both directions (keys are ordinal, see LiteDbContext).
    /// </summary>
    private static BsonExpression PrefixRange(string field, string prefix) => Query.Between(field, prefix, prefix + '\uffff');

    private static string NewId() => Guid.NewGuid().ToString("N");

    private static void RequireWorkspace(string expected, string actual, string what)
    {
        if (!string.Equals(expected, actual, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The {what} belongs to workspace '{actual}', not '{expected}'; a change can only touch its own workspace.");
        }
    }

    private static void CheckShape(ChangeSet change)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(change.WorkspaceId, nameof(change));
        if (string.IsNullOrWhiteSpace(change.AuthorId))
        {
            throw new ArgumentException("The change has no author; every change needs the person who made it (undo is theirs).", nameof(change));
        }
        if (string.IsNullOrWhiteSpace(change.SourceId))
        {
            throw new ArgumentException("The change has no source id; use the platform message id (Slack event_id, Teams activity id) so a retry is stored once.", nameof(change));
        }
        foreach (var entry in change.AddEntries)
        {
            RequireWorkspace(change.WorkspaceId, entry.WorkspaceId, $"entry for '{entry.PersonId}'");
        }
        foreach (var deal in change.UpsertDeals)
        {
            RequireWorkspace(change.WorkspaceId, deal.WorkspaceId, $"deal '{deal.Name}'");
        }
        foreach (var person in change.UpsertPeople)
        {
            RequireWorkspace(change.WorkspaceId, person.WorkspaceId, $"person '{person.DisplayName}'");
        }
        foreach (var team in change.UpsertTeams)
        {
            RequireWorkspace(change.WorkspaceId, team.WorkspaceId, $"team '{team.Name}'");
        }
    }

    /// <summary>Re-checks every entry with <see cref="EntryRules"/> against the team as it will be after the change.</summary>
    private void CheckEntries(ChangeSet change)
    {
        if (change.AddEntries.Count == 0)
        {
            return;
        }
        var problems = new List<EntryProblem>();
        var teams = new Dictionary<string, Team?>(StringComparer.Ordinal);
        var people = new Dictionary<string, Person?>(StringComparer.Ordinal);
        foreach (var entry in change.AddEntries)
        {
            if (!people.TryGetValue(entry.PersonId, out var person))
            {
                person = change.UpsertPeople.LastOrDefault(p => p.Id == entry.PersonId) ?? FindPerson(change.WorkspaceId, entry.PersonId);
                people[entry.PersonId] = person;
            }
            if (person is null)
            {
                problems.Add(new EntryProblem("person", entry.PersonId, $"No person '{entry.PersonId}' in this workspace; numbers can only be logged for people KpiBot knows."));
                continue;
            }
            if (!teams.TryGetValue(person.TeamId, out var team))
            {
                team = change.UpsertTeams.LastOrDefault(t => t.Id == person.TeamId) ?? FindTeam(change.WorkspaceId, person.TeamId);
                teams[person.TeamId] = team;
            }
            if (team is null)
            {
                problems.Add(new EntryProblem("person", entry.PersonId, $"{person.DisplayName} is in team '{person.TeamId}', which does not exist; move them to an existing team first."));
                continue;
            }
            var today = LocalToday(change.At, person.TimeZoneId ?? team.Settings.TimeZoneId);
            problems.AddRange(EntryRules.Check(entry, team, today));
        }
        if (problems.Count > 0)
        {
            throw new InvalidEntryException(problems);
        }
    }

    private static DateOnly LocalToday(DateTimeOffset at, string timeZoneId)
    {
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(timeZoneId, out var found) ? found : TimeZoneInfo.Utc;
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime);
    }

    private void UpsertWithImage<T>(string collection, string changeId, int seq, T after, string key)
    {
        var target = _db.GetCollection(collection);
        var before = target.FindById(key);
        UndoImageDocs.Insert(Image(changeId, seq, collection, key, before));
        target.Upsert(_mapper.ToDocument(after));
    }

    private static BsonDocument Image(string changeId, int seq, string collection, string target, BsonDocument? before) => new()
    {
        ["ChangeId"] = changeId,
        ["Seq"] = seq,
        ["Collection"] = collection,
        ["Target"] = target,
        ["Before"] = before is null ? BsonValue.Null : before,
    };

    private bool SameDocument<T>(T a, T b) =>
        string.Equals(JsonSerializer.Serialize(_mapper.ToDocument(a)), JsonSerializer.Serialize(_mapper.ToDocument(b)), StringComparison.Ordinal);

    private void InTransaction(Action write)
    {
        if (!_db.BeginTrans())
        {
            throw new InvalidOperationException("A LiteDB transaction is already open on this thread; KpiBot store writes do not nest.");
        }
        try
        {
            write();
            _db.Commit();
        }
        catch
        {
            _db.Rollback();
            throw;
        }
    }
}
