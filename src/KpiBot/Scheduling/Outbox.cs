using KpiBot.Domain;
using KpiBot.Replies;

namespace KpiBot.Scheduling;

/// <summary>What an outbox message is, for logs and the digest/reminder bookkeeping.</summary>
public enum OutboxKind
{
    /// <summary>The weekly nudge in a team channel.</summary>
    TeamNudge,
    /// <summary>A manager's private weekly digest.</summary>
    ManagerDigest,
    /// <summary>A personal "you have not logged" reminder.</summary>
    Reminder,
}

/// <summary>Where an outbox message is in its life.</summary>
public enum OutboxStatus
{
    /// <summary>Recorded, waiting to be sent (first time or after a retryable failure).</summary>
    Pending,
    /// <summary>Claimed by one instance until its lease expires.</summary>
    Sending,
    /// <summary>The platform accepted it. Never sent again.</summary>
    Sent,
    /// <summary>Given up: a permanent error or too many attempts.</summary>
    Failed,
    /// <summary>The conversation is gone (bot removed or blocked); nothing is sent there.</summary>
    Gone,
}

/// <summary>
/// One message in the durable outbox. It is recorded before it is sent; <see cref="Key"/> is the idempotency
/// key (schedule or person, period, target) and is unique in the store, so a restart, a second instance or a
/// retry can never produce a second copy.
/// </summary>
/// <param name="Key">Idempotency key, see <see cref="OutboxKeys"/>.</param>
/// <param name="AddressKey">The <see cref="Channels.ConversationAddress.Key"/> to post to.</param>
/// <param name="DueAt">When the message was meant to go out (the scheduled occurrence).</param>
/// <param name="NextAttemptAt">Earliest time of the next attempt (backoff and Retry-After push it later).</param>
/// <param name="LeaseOwner">The instance that claimed it while <see cref="Status"/> is Sending.</param>
/// <param name="LeaseUntil">When the claim expires and another instance may take the message over.</param>
public sealed record OutboxMessage(
    string Key,
    OutboxKind Kind,
    string WorkspaceId,
    Platform Platform,
    string AddressKey,
    Reply Reply,
    DateTimeOffset DueAt,
    DateTimeOffset CreatedAt,
    OutboxStatus Status,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    string? LeaseOwner,
    DateTimeOffset? LeaseUntil,
    DateTimeOffset? SentAt,
    string? PlatformMessageId,
    string? LastError)
{
    /// <summary>A new pending message, due at <paramref name="dueAt"/>, recorded at <paramref name="now"/>.</summary>
    public static OutboxMessage New(string key, OutboxKind kind, string workspaceId, Platform platform, string addressKey, Reply reply, DateTimeOffset dueAt, DateTimeOffset now) =>
        new(key, kind, workspaceId, platform, addressKey, reply, dueAt, now, OutboxStatus.Pending, 0, now, null, null, null, null, null);
}

/// <summary>The idempotency keys of outbox messages.</summary>
public static class OutboxKeys
{
    /// <summary>The team nudge of one schedule for one ISO week into one channel.</summary>
    public static string TeamNudge(string scheduleId, string isoWeek, string channelKey) => $"nudge|{scheduleId}|{isoWeek}|{channelKey}";

    /// <summary>A manager's digest of one schedule for one ISO week.</summary>
    public static string Digest(string scheduleId, string isoWeek, string managerId) => $"digest|{scheduleId}|{isoWeek}|{managerId}";

    /// <summary>A person's reminder on one local date: at most one a day, whatever happens.</summary>
    public static string Reminder(string workspaceId, string personId, DateOnly localDate) =>
        $"reminder|{workspaceId}|{personId}|{localDate:yyyy-MM-dd}".ToLowerInvariant();
}

/// <summary>
/// The durable outbox. Every state change is one atomic store operation guarded by the current status and
/// lease owner, so two instances sharing the store can race without sending anything twice.
/// </summary>
public interface IOutbox
{
    /// <summary>Records a message; false (and nothing changed) when its key was already recorded.</summary>
    bool TryEnqueue(OutboxMessage message);

    /// <summary>Records many messages at once; returns how many were new.</summary>
    int EnqueueMany(IReadOnlyList<OutboxMessage> messages);

    /// <summary>A message by key.</summary>
    OutboxMessage? Find(string key);

    /// <summary>Messages that may be sent now: pending and due, or claimed with an expired lease. Oldest first.</summary>
    IReadOnlyList<OutboxMessage> Due(DateTimeOffset now, int limit);

    /// <summary>
    /// The earliest time a pending message is due or a claimed message's lease expires, if any message is still
    /// open; a time before <paramref name="now"/> means "something is due already".
    /// </summary>
    DateTimeOffset? NextWakeAfter(DateTimeOffset now);

    /// <summary>
    /// Claims a due message for <paramref name="owner"/> until <c>now + lease</c> and counts the attempt.
    /// Null when it is not claimable any more (sent, or claimed by another instance whose lease holds).
    /// </summary>
    OutboxMessage? TryClaim(string key, string owner, DateTimeOffset now, TimeSpan lease);

    /// <summary>
    /// Claims several messages in one store transaction (one durable commit instead of one per message);
    /// the result says, per key, whether it was claimed. Same rules as <see cref="TryClaim"/>.
    /// </summary>
    IReadOnlyList<bool> TryClaimMany(IReadOnlyList<string> keys, string owner, DateTimeOffset now, TimeSpan lease);

    /// <summary>Applies several outcomes in one store transaction; the result says, per outcome, whether the lease still held.</summary>
    IReadOnlyList<bool> CompleteMany(IReadOnlyList<OutboxCompletion> completions, string owner);

    /// <summary>Marks a claimed message sent. False when the lease was lost (another instance took it).</summary>
    bool MarkSent(string key, string owner, DateTimeOffset at, string? platformMessageId);

    /// <summary>Returns a claimed message to Pending with a later attempt time (retryable failure).</summary>
    bool Reschedule(string key, string owner, DateTimeOffset nextAttemptAt, string error);

    /// <summary>Ends a message as <see cref="OutboxStatus.Failed"/> or <see cref="OutboxStatus.Gone"/>.</summary>
    bool MarkFinal(string key, string owner, OutboxStatus status, string error);

    /// <summary>Messages of a workspace (all when null), newest first, for diagnostics and tests.</summary>
    IReadOnlyList<OutboxMessage> List(string? workspaceId = null, int limit = 1000);
}

/// <summary>The outcome of one send to record: Sent (with the platform id), Pending again at a later time, Failed or Gone.</summary>
public sealed record OutboxCompletion(string Key, OutboxStatus Status, DateTimeOffset At, string? PlatformMessageId = null, DateTimeOffset? NextAttemptAt = null, string? Error = null);
