using System.Collections.Concurrent;
using KpiBot.Domain;
using KpiBot.Replies;
using KpiBot.Storage.LiteDb;
using LiteDB;

namespace KpiBot.Scheduling;

/// <summary>
/// The outbox in the shared LiteDB database (collection <c>nudge_outbox</c>). The idempotency key is the
/// document id, so the store's unique primary index refuses a second copy. Claims and state changes are single
/// <c>UpdateMany</c> calls whose predicate checks status and lease: LiteDB runs each under the collection's
/// write lock, so of two instances racing for a message exactly one wins.
/// </summary>
public sealed class LiteDbOutbox : IOutbox
{
    private const string CollectionName = "nudge_outbox";

    /// <summary>At most this many replies are kept in memory for messages recorded by this process and not yet final.</summary>
    private const int UnsentRepliesKept = 100_000;

    private readonly ILiteCollection<OutboxDocument> _messages;
    private readonly LiteDatabase _database;

    // The replies of messages this process recorded and has not finished: reading them back decodes nothing. A weekly
    // fan-out records 25,000 messages and reads them all before its first send, and decoding their JSON was half of
    // that read. After a restart (or beyond the bound) the stored JSON is decoded as before.
    private readonly ConcurrentDictionary<string, Reply> _unsentReplies = new(StringComparer.Ordinal);

    /// <summary>Uses the process's shared database.</summary>
    public LiteDbOutbox(LiteDbContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _database = context.Database;
        _messages = context.Database.GetCollection<OutboxDocument>(CollectionName);
        _messages.EnsureIndex(d => d.Status);
        _messages.EnsureIndex(d => d.NextAttemptAt);
        _messages.EnsureIndex(d => d.WorkspaceId);
    }

    /// <inheritdoc />
    public bool TryEnqueue(OutboxMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            _messages.Insert(OutboxDocument.From(message));
            Remember(message);
            return true;
        }
        catch (LiteException e) when (e.ErrorCode == LiteException.INDEX_DUPLICATE_KEY)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public int EnqueueMany(IReadOnlyList<OutboxMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var fresh = messages.Where(m => _messages.FindById(m.Key) is null).DistinctBy(m => m.Key, StringComparer.Ordinal).ToList();
        if (fresh.Count == 0)
        {
            return 0;
        }
        try
        {
            // One transaction, one durable commit for the whole batch.
            var inserted = _messages.InsertBulk(fresh.Select(OutboxDocument.From));
            foreach (var message in fresh)
            {
                Remember(message);
            }
            return inserted;
        }
        catch (LiteException e) when (e.ErrorCode == LiteException.INDEX_DUPLICATE_KEY)
        {
            // Another instance recorded some of them meanwhile: the bulk insert was rolled back; go one by one.
            return fresh.Count(TryEnqueue);
        }
    }

    /// <inheritdoc />
    public OutboxMessage? Find(string key) => _messages.FindById(key) is { } document ? Message(document) : null;

    /// <inheritdoc />
    public IReadOnlyList<OutboxMessage> Due(DateTimeOffset now, int limit)
    {
        var at = now.UtcTicks;
        return _messages.Query()
            .Where(d => (d.Status == PendingStatus && d.NextAttemptAt <= at) || (d.Status == SendingStatus && d.LeaseUntil < at))
            .OrderBy(d => d.NextAttemptAt)
            .Limit(limit)
            .ToEnumerable()
            .Select(Message)
            .ToList();
    }

    /// <inheritdoc />
    public DateTimeOffset? NextWakeAfter(DateTimeOffset now)
    {
        // Any pending message counts, also one already due (then the answer is in the past: wake now).
        var pending = _messages.Query()
            .Where(d => d.Status == PendingStatus)
            .OrderBy(d => d.NextAttemptAt)
            .Select(d => d.NextAttemptAt)
            .Limit(1)
            .ToList();
        var leases = _messages.Query()
            .Where(d => d.Status == SendingStatus)
            .OrderBy(d => d.LeaseUntil)
            .Select(d => d.LeaseUntil)
            .Limit(1)
            .ToList();
        var earliest = pending.Concat(leases).DefaultIfEmpty(long.MaxValue).Min();
        return earliest == long.MaxValue ? null : new DateTimeOffset(earliest, TimeSpan.Zero);
    }

    /// <inheritdoc />
    public OutboxMessage? TryClaim(string key, string owner, DateTimeOffset now, TimeSpan lease)
    {
        var at = now.UtcTicks;
        var until = (now + lease).UtcTicks;
        var claimed = _messages.UpdateMany(
            d => new OutboxDocument { Status = SendingStatus, LeaseOwner = owner, LeaseUntil = until, Attempts = d.Attempts + 1 },
            d => d.Id == key && ((d.Status == PendingStatus && d.NextAttemptAt <= at) || (d.Status == SendingStatus && d.LeaseUntil < at)));
        return claimed == 1 ? Find(key) : null;
    }

    /// <inheritdoc />
    public IReadOnlyList<bool> TryClaimMany(IReadOnlyList<string> keys, string owner, DateTimeOffset now, TimeSpan lease)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var claimed = new bool[keys.Count];
        InTransaction(() =>
        {
            var at = now.UtcTicks;
            var until = (now + lease).UtcTicks;
            for (var i = 0; i < keys.Count; i++)
            {
                var key = keys[i];
                claimed[i] = _messages.UpdateMany(
                    d => new OutboxDocument { Status = SendingStatus, LeaseOwner = owner, LeaseUntil = until, Attempts = d.Attempts + 1 },
                    d => d.Id == key && ((d.Status == PendingStatus && d.NextAttemptAt <= at) || (d.Status == SendingStatus && d.LeaseUntil < at))) == 1;
            }
        });
        return claimed;
    }

    /// <inheritdoc />
    public IReadOnlyList<bool> CompleteMany(IReadOnlyList<OutboxCompletion> completions, string owner)
    {
        ArgumentNullException.ThrowIfNull(completions);
        var applied = new bool[completions.Count];
        InTransaction(() =>
        {
            for (var i = 0; i < completions.Count; i++)
            {
                var c = completions[i];
                applied[i] = c.Status switch
                {
                    OutboxStatus.Sent => MarkSent(c.Key, owner, c.At, c.PlatformMessageId),
                    OutboxStatus.Pending => Reschedule(c.Key, owner, c.NextAttemptAt ?? c.At, c.Error ?? "Retry."),
                    _ => MarkFinal(c.Key, owner, c.Status, c.Error ?? c.Status.ToString()),
                };
            }
        });
        return applied;
    }

    private void InTransaction(Action write)
    {
        // LiteDB transactions belong to the calling thread; a caller already inside one just joins it.
        var own = _database.BeginTrans();
        try
        {
            write();
            if (own)
            {
                _database.Commit();
            }
        }
        catch
        {
            if (own)
            {
                _database.Rollback();
            }
            throw;
        }
    }

    /// <inheritdoc />
    public bool MarkSent(string key, string owner, DateTimeOffset at, string? platformMessageId)
    {
        var ticks = at.UtcTicks;
        var marked = _messages.UpdateMany(
            d => new OutboxDocument { Status = SentStatus, SentAt = ticks, PlatformMessageId = platformMessageId, LeaseOwner = null, LeaseUntil = 0, LastError = null },
            d => d.Id == key && d.Status == SendingStatus && d.LeaseOwner == owner) == 1;
        Forget(key, marked);
        return marked;
    }

    /// <inheritdoc />
    public bool Reschedule(string key, string owner, DateTimeOffset nextAttemptAt, string error)
    {
        var next = nextAttemptAt.UtcTicks;
        return _messages.UpdateMany(
            d => new OutboxDocument { Status = PendingStatus, NextAttemptAt = next, LeaseOwner = null, LeaseUntil = 0, LastError = error },
            d => d.Id == key && d.Status == SendingStatus && d.LeaseOwner == owner) == 1;
    }

    /// <inheritdoc />
    public bool MarkFinal(string key, string owner, OutboxStatus status, string error)
    {
        if (status is not (OutboxStatus.Failed or OutboxStatus.Gone))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "A final outbox status is Failed or Gone.");
        }
        var name = status.ToString();
        var marked = _messages.UpdateMany(
            d => new OutboxDocument { Status = name, LeaseOwner = null, LeaseUntil = 0, LastError = error },
            d => d.Id == key && d.Status == SendingStatus && d.LeaseOwner == owner) == 1;
        Forget(key, marked);
        return marked;
    }

    private void Remember(OutboxMessage message)
    {
        if (_unsentReplies.Count < UnsentRepliesKept)
        {
            _unsentReplies.TryAdd(message.Key, message.Reply);
        }
    }

    private void Forget(string key, bool final)
    {
        if (final)
        {
            _unsentReplies.TryRemove(key, out _);
        }
    }

    private OutboxMessage Message(OutboxDocument document) => document.ToMessage(_unsentReplies.GetValueOrDefault(document.Id));

    /// <inheritdoc />
    public IReadOnlyList<OutboxMessage> List(string? workspaceId = null, int limit = 1000)
    {
        var query = _messages.Query();
        if (workspaceId is not null)
        {
            query = query.Where(d => d.WorkspaceId == workspaceId);
        }
        return query.OrderByDescending(d => d.CreatedAt).Limit(limit).ToEnumerable().Select(Message).ToList();
    }

    private const string PendingStatus = nameof(OutboxStatus.Pending);
    private const string SendingStatus = nameof(OutboxStatus.Sending);
    private const string SentStatus = nameof(OutboxStatus.Sent);

    /// <summary>The stored shape: times as UTC ticks (LiteDB keeps DateTime at millisecond precision and drops offsets).</summary>
    internal sealed class OutboxDocument
    {
        [BsonId]
        public string Id { get; set; } = "";
        public string Kind { get; set; } = "";
        public string WorkspaceId { get; set; } = "";
        public string Platform { get; set; } = "";
        public string AddressKey { get; set; } = "";
        public string ReplyJson { get; set; } = "";
        public long DueAt { get; set; }
        public long CreatedAt { get; set; }
        public string Status { get; set; } = "";
        public int Attempts { get; set; }
        public long NextAttemptAt { get; set; }
        public string? LeaseOwner { get; set; }
        public long LeaseUntil { get; set; }
        public long SentAt { get; set; }
        public string? PlatformMessageId { get; set; }
        public string? LastError { get; set; }

        public static OutboxDocument From(OutboxMessage m) => new()
        {
            Id = m.Key,
            Kind = m.Kind.ToString(),
            WorkspaceId = m.WorkspaceId,
            Platform = m.Platform.ToString(),
            AddressKey = m.AddressKey,
            ReplyJson = ReplySerializer.Serialize(m.Reply),
            DueAt = m.DueAt.UtcTicks,
            CreatedAt = m.CreatedAt.UtcTicks,
            Status = m.Status.ToString(),
            Attempts = m.Attempts,
            NextAttemptAt = m.NextAttemptAt.UtcTicks,
            LeaseOwner = m.LeaseOwner,
            LeaseUntil = m.LeaseUntil?.UtcTicks ?? 0,
            SentAt = m.SentAt?.UtcTicks ?? 0,
            PlatformMessageId = m.PlatformMessageId,
            LastError = m.LastError,
        };

        public OutboxMessage ToMessage(Reply? known = null) => new(
            Id,
            Enum.Parse<OutboxKind>(Kind),
            WorkspaceId,
            Enum.Parse<Platform>(Platform),
            AddressKey,
            known ?? ReplySerializer.Deserialize(ReplyJson),
            Utc(DueAt),
            Utc(CreatedAt),
            Enum.Parse<OutboxStatus>(Status),
            Attempts,
            Utc(NextAttemptAt),
            LeaseOwner,
            LeaseUntil == 0 ? null : Utc(LeaseUntil),
            SentAt == 0 ? null : Utc(SentAt),
            PlatformMessageId,
            LastError);

        private static DateTimeOffset Utc(long ticks) => new(ticks, TimeSpan.Zero);
    }
}
