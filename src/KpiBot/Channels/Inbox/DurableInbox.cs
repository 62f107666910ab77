using System.Threading.Channels;
using KpiBot.Storage.LiteDb;
using LiteDB;

namespace KpiBot.Channels.Inbox;

/// <summary>What became of an offered delivery.</summary>
public enum InboxAcceptance
{
    /// <summary>Stored durably; it will be handled (again after a crash) until done.</summary>
    Accepted,
    /// <summary>The same delivery key was accepted before: a platform retry, to be acknowledged and dropped.</summary>
    Duplicate,
}

/// <summary>
/// Handles one kind of inbox item. The payload is what the platform adapter serialized when it accepted
/// the delivery; handling must be safe to repeat (a crash after the work but before "done" replays it),
/// which holds because every stored change carries the delivery's source id.
/// Which kind a handler takes is said once, where it is registered (<see cref="InboxHosting.AddInboxHandler{T}"/>).
/// </summary>
public interface IInboxHandler
{
    /// <summary>Does the work after the platform was acknowledged.</summary>
    Task HandleAsync(string payload, CancellationToken cancellationToken);
}

/// <summary>
/// The durable hand-off between "acknowledge the platform at once" and "do the work". An adapter calls
/// <see cref="TryAccept"/> before it answers the platform: the delivery is then on disk (LiteDB commits
/// fsync, see <see cref="LiteDbContext"/>), so a crash after the acknowledgement loses nothing — pending
/// items are handled on the next start. The delivery key is unique, so platform retries (Slack's
/// <c>X-Slack-Retry-Num</c>, a Teams redelivery of the same activity id) are recognised and dropped.
/// </summary>
public sealed class DurableInbox
{
    /// <summary>How long handled keys are remembered to recognise retries (platforms retry within minutes).</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(7);

    /// <summary>Attempts before an item is parked as failed (logged, kept for inspection).</summary>
    public const int MaxAttempts = 5;

    private const string Collection = "inbox";
    private readonly ILiteCollection<InboxDoc> _items;
    private readonly TimeProvider _clock;
    private readonly Channel<string> _ready = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = false });
    private readonly Lock _gate = new();
    private readonly HashSet<string> _scheduled = new(StringComparer.Ordinal);
    private int _inFlight;
    private TaskCompletionSource _idle = Completed();

    /// <summary>Creates the inbox on the process's database.</summary>
    public DurableInbox(LiteDbContext context, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(context);
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _items = context.Database.GetCollection<InboxDoc>(Collection);
        _items.EnsureIndex(x => x.Status);
    }

    /// <summary>
    /// Stores the delivery durably and schedules it. Returns <see cref="InboxAcceptance.Duplicate"/> when the
    /// key was accepted before (nothing is stored or scheduled then).
    /// </summary>
    public InboxAcceptance TryAccept(string key, string kind, string payload)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentNullException.ThrowIfNull(payload);
        var now = _clock.GetUtcNow();
        try
        {
            _items.Insert(new InboxDoc
            {
                Key = key,
                Kind = kind,
                Payload = payload,
                Status = InboxDoc.Pending,
                ReceivedAt = now.UtcDateTime,
                NextAttemptAt = now.UtcDateTime,
            });
        }
        catch (LiteException e) when (e.ErrorCode == LiteException.INDEX_DUPLICATE_KEY)
        {
            return InboxAcceptance.Duplicate;
        }
        Schedule(key);
        return InboxAcceptance.Accepted;
    }

    /// <summary>Completes when nothing accepted is waiting or running (tests wait on it instead of sleeping).</summary>
    public Task WhenIdleAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _idle.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Keys of items waiting to be handled (after a crash: everything accepted and not done).</summary>
    internal IReadOnlyList<string> PendingKeys(DateTimeOffset dueBy) =>
        _items.Find(x => x.Status == InboxDoc.Pending).Where(x => x.NextAttemptAt <= dueBy.UtcDateTime).Select(x => x.Key).ToList();

    internal ChannelReader<string> Ready => _ready.Reader;

    /// <summary>Puts the key on the ready queue unless it is already waiting or running (one worker per item).</summary>
    internal void Schedule(string key)
    {
        lock (_gate)
        {
            if (!_scheduled.Add(key))
            {
                return;
            }
            if (_inFlight++ == 0)
            {
                _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
        _ready.Writer.TryWrite(key);
    }

    /// <summary>
    /// The item to work on, or null when it is no longer pending (another worker or an earlier run took it) or
    /// is still backing off after a failed attempt.
    /// </summary>
    internal InboxDoc? Claim(string key)
    {
        var doc = _items.FindById(key);
        return doc is { Status: InboxDoc.Pending } && doc.NextAttemptAt <= _clock.GetUtcNow().UtcDateTime ? doc : null;
    }

    internal void MarkDone(InboxDoc doc)
    {
        doc.Status = InboxDoc.Done;
        doc.Payload = "";
        doc.CompletedAt = _clock.GetUtcNow().UtcDateTime;
        _items.Update(doc);
    }

    /// <summary>Records a failed attempt; true when the item will be tried again.</summary>
    internal bool MarkFailed(InboxDoc doc, string error)
    {
        doc.Attempts++;
        doc.LastError = error;
        var retry = doc.Attempts < MaxAttempts;
        if (retry)
        {
            // 2 s, 4 s, 8 s, 16 s: a transient store or platform hiccup passes; a bug does not loop forever.
            doc.NextAttemptAt = _clock.GetUtcNow().UtcDateTime.AddSeconds(Math.Pow(2, doc.Attempts));
        }
        else
        {
            doc.Status = InboxDoc.Failed;
        }
        _items.Update(doc);
        return retry;
    }

    internal void Finished(string key)
    {
        lock (_gate)
        {
            _scheduled.Remove(key);
            if (--_inFlight == 0)
            {
                _idle.TrySetResult();
            }
        }
    }

    /// <summary>Forgets handled items older than <see cref="Retention"/>.</summary>
    internal int Prune() =>
        _items.DeleteMany(x => x.Status == InboxDoc.Done && x.CompletedAt < _clock.GetUtcNow().UtcDateTime - Retention);

    private static TaskCompletionSource Completed()
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        source.SetResult();
        return source;
    }
}

/// <summary>The stored form of an inbox item.</summary>
internal sealed class InboxDoc
{
    public const string Pending = "pending";
    public const string Done = "done";
    public const string Failed = "failed";

    [BsonId]
    public string Key { get; set; } = "";
    public string Kind { get; set; } = "";
    public string Payload { get; set; } = "";
    public string Status { get; set; } = Pending;
    public DateTime ReceivedAt { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public DateTime? CompletedAt { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
}
