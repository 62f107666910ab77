using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using KpiBot.Channels;
using KpiBot.Conversation;
using KpiBot.Domain;
using KpiBot.Replies;
using KpiBot.Storage;

namespace KpiBot.ScenarioTests.Slack;

/// <summary>
/// An in-memory <see cref="IKpiStore"/> with the store's idempotency rules (one change per SourceId,
/// one mark per inbound key), for tests that run before the LiteDB store is merged.
/// </summary>
public sealed class FakeKpiStore : IKpiStore
{
    private readonly ConcurrentDictionary<string, ChangeRecord> _changes = new();
    private readonly ConcurrentQueue<DailyEntry> _entries = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _inbound = new();
    private readonly Lock _gate = new();

    /// <summary>Inbound keys marked so far.</summary>
    public IReadOnlyCollection<string> InboundKeys => [.. _inbound.Keys];

    /// <summary>Every stored entry.</summary>
    public IReadOnlyList<DailyEntry> Entries => [.. _entries];

    public Workspace? FindWorkspace(string workspaceId) => null;
    public Workspace EnsureWorkspace(string workspaceId, Platform platform, string name, DateTimeOffset at) => new(workspaceId, platform, name, at);
    public IReadOnlyList<Team> ListTeams(string workspaceId) => [];
    public Team? FindTeam(string workspaceId, string teamId) => null;
    public Person? FindPerson(string workspaceId, string personId) => null;
    public Person? FindPersonByPlatformUser(string workspaceId, string platformUserId) => null;
    public IReadOnlyList<Person> ListPeople(string workspaceId, string? teamId = null) => [];
    public IReadOnlyList<DailyEntry> GetEntries(string workspaceId, IReadOnlyCollection<string>? personIds, DateOnly from, DateOnly to) =>
        [.. _entries.Where(e => e.WorkspaceId == workspaceId && e.Date >= from && e.Date <= to && (personIds is null || personIds.Contains(e.PersonId)))];
    public IReadOnlyList<Deal> GetDeals(string workspaceId, IReadOnlyCollection<string>? ownerIds, DateOnly? closedOnOrAfter = null) => [];
    public DateOnly? FirstActivityDate(string workspaceId, string personId) => null;
    public IReadOnlyDictionary<string, DateOnly?> FirstActivityDates(string workspaceId, IReadOnlyCollection<string> personIds) =>
        personIds.Distinct(StringComparer.Ordinal).ToDictionary(id => id, _ => (DateOnly?)null, StringComparer.Ordinal);

    public Deal? FindDeal(string workspaceId, string dealId) => null;
    public IReadOnlyList<Deal> FindOpenDealsByName(string workspaceId, string ownerId, string name) => [];

    public ApplyResult Apply(ChangeSet change)
    {
        lock (_gate)
        {
            var key = change.WorkspaceId + "|" + change.SourceId;
            if (_changes.TryGetValue(key, out var existing))
            {
                return new ApplyResult(existing, Duplicate: true);
            }
            var record = new ChangeRecord($"c{_changes.Count + 1}", change.WorkspaceId, change.AuthorId, change.SourceId, change.Summary, change.At, false, null);
            _changes[key] = record;
            foreach (var entry in change.AddEntries)
            {
                _entries.Enqueue(entry with { ChangeId = record.Id });
            }
            return new ApplyResult(record, Duplicate: false);
        }
    }

    public ChangeRecord? LastUndoable(string workspaceId, string authorId) => null;
    public ChangeRecord? Undo(string workspaceId, string changeId, DateTimeOffset at) => null;
    public IReadOnlyList<ChangeRecord> Audit(string workspaceId, int limit = 100) =>
        [.. _changes.Values.Where(c => c.WorkspaceId == workspaceId).OrderByDescending(c => c.At).Take(limit)];
    public BulkResult UpsertDealsByExternalId(string workspaceId, string authorId, string sourceId, string summary, IReadOnlyList<Deal> deals, IReadOnlyList<Person> newPeople, DateTimeOffset at) =>
        throw new NotSupportedException("not used by the Slack channel");
    public bool TryMarkInboundProcessed(string key, DateTimeOffset at) => _inbound.TryAdd(key, at);
}

/// <summary>An in-memory conversation directory.</summary>
public sealed class FakeConversationDirectory : IConversationDirectory
{
    private readonly ConcurrentDictionary<string, ConversationAddress> _addresses = new();

    /// <summary>Keys marked inactive with their reasons.</summary>
    public ConcurrentDictionary<string, string> Inactive { get; } = new();

    public IReadOnlyCollection<ConversationAddress> All => [.. _addresses.Values];
    public void Save(ConversationAddress address) => _addresses[address.Key] = address with { Active = true };
    public ConversationAddress? Find(string key) => _addresses.GetValueOrDefault(key);
    public ConversationAddress? FindPersonal(Platform platform, string workspaceId, string userId) =>
        _addresses.Values.FirstOrDefault(a => a.Platform == platform && a.WorkspaceId == workspaceId && a.Kind == ConversationKind.Personal && a.UserId == userId);
    public IReadOnlyList<ConversationAddress> List(string workspaceId) => [.. _addresses.Values.Where(a => a.WorkspaceId == workspaceId)];
    public void MarkInactive(string key, string reason, DateTimeOffset at)
    {
        Inactive[key] = reason;
        if (_addresses.TryGetValue(key, out var a))
        {
            _addresses[key] = a with { Active = false };
        }
    }
}

/// <summary>
/// A stand-in for the conversation engine: records every message, stores "log booked 5 held 3" as
/// entries through the store (so the store's idempotency is exercised) and answers with a card.
/// </summary>
public sealed partial class RecordingBot(IKpiStore store) : IBot
{
    private readonly ConcurrentQueue<IncomingMessage> _messages = new();

    /// <summary>Every message the bot was given.</summary>
    public IReadOnlyList<IncomingMessage> Messages => [.. _messages];

    /// <summary>When set, the bot waits for it before answering (proves the acknowledgement does not wait).</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>When set, replaces the default answer.</summary>
    public Func<IncomingMessage, BotResponse>? Answer { get; set; }

    public async Task<BotResponse> HandleAsync(IncomingMessage message, CancellationToken cancellationToken)
    {
        _messages.Enqueue(message);
        if (Gate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }
        if (Answer is { } answer)
        {
            return answer(message);
        }
        var numbers = LogPattern().Matches(message.Text).Select(m => (Metric: m.Groups[1].Value, Value: decimal.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))).ToList();
        if (message.Text.StartsWith("log", StringComparison.OrdinalIgnoreCase) && numbers.Count > 0)
        {
            var day = DateOnly.FromDateTime(message.ReceivedAt.UtcDateTime);
            var entries = numbers.Select((n, i) => new DailyEntry($"{message.SourceId}#{i}", message.WorkspaceId, message.UserId, day, n.Metric, n.Value, message.UserId, "", message.ReceivedAt)).ToList();
            var summary = string.Join(", ", numbers.Select(n => $"{n.Metric} {n.Value}"));
            var result = store.Apply(ChangeSet.Entries(message.WorkspaceId, message.UserId, message.SourceId, summary, message.ReceivedAt, entries));
            return BotResponse.Of(new Reply($"Logged {summary}", [new Heading("Logged", new Badge(result.Duplicate ? "already logged" : "new", Tone.Good)), new FactList(numbers.Select(n => new Fact(n.Metric, n.Value.ToString(CultureInfo.InvariantCulture))).ToList())]));
        }
        return BotResponse.Of(Reply.Text($"You said: {message.Text}"));
    }

    [GeneratedRegex(@"\b(booked|held|qualified|proposals)\s+(\d+)")]
    private static partial Regex LogPattern();
}
