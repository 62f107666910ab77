using System.Collections.Concurrent;
using KpiBot.Channels;
using KpiBot.Conversation;
using KpiBot.Domain;
using KpiBot.Replies;
using KpiBot.Scheduling;
using KpiBot.Storage;
using KpiBot.Storage.LiteDb;
using LiteDB;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace KpiBot.Tests.Scheduling;

/// <summary>An in-memory KPI store with just the reads the scheduler uses.</summary>
internal sealed class FakeKpiStore : IKpiStore
{
    public List<Workspace> Workspaces { get; } = [];
    public List<Team> Teams { get; } = [];
    public List<Person> People { get; } = [];
    public List<DailyEntry> Entries { get; } = [];
    public List<Deal> Deals { get; } = [];

    public Workspace? FindWorkspace(string workspaceId) => Workspaces.FirstOrDefault(w => w.Id == workspaceId);
    public Workspace EnsureWorkspace(string workspaceId, Platform platform, string name, DateTimeOffset at) => throw new NotSupportedException();
    public IReadOnlyList<Team> ListTeams(string workspaceId) => Teams.Where(t => t.WorkspaceId == workspaceId).ToList();
    public Team? FindTeam(string workspaceId, string teamId) => Teams.FirstOrDefault(t => t.WorkspaceId == workspaceId && t.Id == teamId);
    public Person? FindPerson(string workspaceId, string personId) => People.FirstOrDefault(p => p.WorkspaceId == workspaceId && p.Id == personId);
    public Person? FindPersonByPlatformUser(string workspaceId, string platformUserId) => People.FirstOrDefault(p => p.WorkspaceId == workspaceId && p.PlatformUserId == platformUserId);
    public IReadOnlyList<Person> ListPeople(string workspaceId, string? teamId = null) =>
        People.Where(p => p.WorkspaceId == workspaceId && (teamId is null || p.TeamId == teamId)).OrderBy(p => p.DisplayName, StringComparer.Ordinal).ToList();
    public IReadOnlyList<DailyEntry> GetEntries(string workspaceId, IReadOnlyCollection<string>? personIds, DateOnly from, DateOnly to) =>
        Entries.Where(e => e.WorkspaceId == workspaceId && (personIds is null || personIds.Contains(e.PersonId)) && e.Date >= from && e.Date <= to).ToList();
    public IReadOnlyList<Deal> GetDeals(string workspaceId, IReadOnlyCollection<string>? ownerIds, DateOnly? closedOnOrAfter = null) =>
        Deals.Where(d => d.WorkspaceId == workspaceId && (ownerIds is null || ownerIds.Contains(d.OwnerId)) && (closedOnOrAfter is null || d.CloseDate is null || d.CloseDate >= closedOnOrAfter)).ToList();
    public DateOnly? FirstActivityDate(string workspaceId, string personId) =>
        Entries.Where(e => e.WorkspaceId == workspaceId && e.PersonId == personId).Select(e => (DateOnly?)e.Date)
            .Concat(Deals.Where(d => d.WorkspaceId == workspaceId && d.OwnerId == personId).Select(d => (DateOnly?)d.StartDate))
            .Min();
    public IReadOnlyDictionary<string, DateOnly?> FirstActivityDates(string workspaceId, IReadOnlyCollection<string> personIds) =>
        personIds.Distinct(StringComparer.Ordinal).ToDictionary(id => id, id => FirstActivityDate(workspaceId, id), StringComparer.Ordinal);
    public Deal? FindDeal(string workspaceId, string dealId) => throw new NotSupportedException();
    public IReadOnlyList<Deal> FindOpenDealsByName(string workspaceId, string ownerId, string name) => throw new NotSupportedException();
    public ApplyResult Apply(ChangeSet change) => throw new NotSupportedException();
    public ChangeRecord? LastUndoable(string workspaceId, string authorId) => throw new NotSupportedException();
    public ChangeRecord? Undo(string workspaceId, string changeId, DateTimeOffset at) => throw new NotSupportedException();
    public IReadOnlyList<ChangeRecord> Audit(string workspaceId, int limit = 100) => throw new NotSupportedException();
    public BulkResult UpsertDealsByExternalId(string workspaceId, string authorId, string sourceId, string summary, IReadOnlyList<Deal> deals, IReadOnlyList<Person> newPeople, DateTimeOffset at) => throw new NotSupportedException();
    public bool TryMarkInboundProcessed(string key, DateTimeOffset at) => throw new NotSupportedException();

    public void Log(string personId, DateOnly date, string metric, decimal value) =>
        Entries.Add(new DailyEntry(Guid.NewGuid().ToString("N"), World.Workspace, personId, date, metric, value, personId, "c", DateTimeOffset.UnixEpoch));
}

/// <summary>An in-memory conversation directory.</summary>
internal sealed class FakeDirectory : IConversationDirectory
{
    private readonly ConcurrentDictionary<string, ConversationAddress> _addresses = new();

    public List<(string Key, string Reason)> Inactivated { get; } = [];

    public void Save(ConversationAddress address) => _addresses[address.Key] = address with { Active = true };
    public ConversationAddress? Find(string key) => _addresses.GetValueOrDefault(key);
    public ConversationAddress? FindPersonal(Platform platform, string workspaceId, string userId) =>
        _addresses.Values.FirstOrDefault(a => a.Platform == platform && a.WorkspaceId == workspaceId && a.UserId == userId && a.Kind == ConversationKind.Personal);
    public IReadOnlyList<ConversationAddress> List(string workspaceId) => _addresses.Values.Where(a => a.WorkspaceId == workspaceId).ToList();
    public void MarkInactive(string key, string reason, DateTimeOffset at)
    {
        lock (Inactivated)
        {
            Inactivated.Add((key, reason));
        }
        if (_addresses.TryGetValue(key, out var a))
        {
            _addresses[key] = a with { Active = false };
        }
    }
}

/// <summary>Records every send; a script can make calls fail (429, 5xx, gone) or throw.</summary>
internal sealed class RecordingSender(Platform platform) : IProactiveSender
{
    private readonly ConcurrentQueue<Func<ConversationAddress, SendOutcome?>> _script = new();

    public Platform Platform { get; } = platform;
    public ConcurrentQueue<(string AddressKey, Reply Reply)> Sent { get; } = new();
    public int Calls;

    /// <summary>Behaviour of the next calls, in order: return null to accept.</summary>
    public void Then(Func<ConversationAddress, SendOutcome?> behaviour) => _script.Enqueue(behaviour);

    public Func<ConversationAddress, CancellationToken, Task>? BeforeSend { get; set; }

    public async Task<SendOutcome> SendAsync(ConversationAddress to, Reply reply, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Calls);
        if (BeforeSend is not null)
        {
            await BeforeSend(to, cancellationToken);
        }
        if (_script.TryDequeue(out var behaviour) && behaviour(to) is { } failure)
        {
            return failure;
        }
        Sent.Enqueue((to.Key, reply));
        return new SendOutcome(SendStatus.Sent, "m" + Sent.Count);
    }

    public int CountTo(string key) => Sent.Count(s => s.AddressKey == key);
}

/// <summary>A small world: one Teams workspace, a team, people, a channel and personal chats, on a fake clock.</summary>
internal sealed class World : IDisposable
{
    public const string Workspace = "teams:tenant-1";
    public const string TeamId = "team-1";

    public World(DateTimeOffset start, string zone = "Europe/Stockholm", NudgeOptions? options = null)
    {
        Time = new SchedulingClock(start);
        Options = options ?? new NudgeOptions { InstanceId = "instance-a" };
        Context = LiteDbContext.InMemory();
        Database = Context.Database;
        Team = Defaults.NewTeam(TeamId, Workspace, "Nordic Sales", start.AddYears(-1), TeamSettings.Default with { TimeZoneId = zone });
        Store.Workspaces.Add(new Workspace(Workspace, Platform.Teams, "Contoso", start.AddYears(-1)));
        Store.Teams.Add(Team);
        Channel = Address("19:sales@thread.tacv2", ConversationKind.Channel, "sales", null);
        Directory.Save(Channel);
        Nudges = new LiteDbNudgeStore(Context);
        Outbox = new LiteDbOutbox(Context);
    }

    public SchedulingClock Time { get; }
    public NudgeOptions Options { get; }
    public LiteDatabase Database { get; }
    public LiteDbContext Context { get; }
    public Team Team { get; private set; }
    public FakeKpiStore Store { get; } = new();
    public FakeDirectory Directory { get; } = new();
    public RecordingSender Sender { get; } = new(Platform.Teams);
    public ConversationAddress Channel { get; }
    public LiteDbNudgeStore Nudges { get; }
    public LiteDbOutbox Outbox { get; }

    public static ConversationAddress Address(string conversationId, ConversationKind kind, string? name, string? userId) =>
        new(ConversationAddress.KeyOf(Platform.Teams, Workspace, conversationId), Platform.Teams, Workspace, conversationId, kind, name, "https://smba.example/", userId, new Dictionary<string, string>(), true, DateTimeOffset.UnixEpoch);

    public void SetTeamZone(string zone)
    {
        Store.Teams.Remove(Team);
        Team = Team with { Settings = Team.Settings with { TimeZoneId = zone } };
        Store.Teams.Add(Team);
    }

    public void TurnRemindersOff()
    {
        Store.Teams.Remove(Team);
        Team = Team with { Settings = Team.Settings with { ReminderWorkingDays = 0 } };
        Store.Teams.Add(Team);
    }

    public Person AddPerson(string id, string name, Role role = Role.Rep, string? zone = null, IReadOnlyList<AwayPeriod>? away = null, bool withChat = true)
    {
        var person = new Person(id, Workspace, TeamId, name, role, "u-" + id, zone, away ?? [], null, Time.GetUtcNow().AddYears(-1));
        Store.People.Add(person);
        if (withChat)
        {
            Directory.Save(Address("a:" + id, ConversationKind.Personal, null, "u-" + id));
        }
        return person;
    }

    public string PersonalKey(string id) => ConversationAddress.KeyOf(Platform.Teams, Workspace, "a:" + id);

    public NudgeSchedule Schedule(DayOfWeek day, TimeOnly time, bool enabled = true)
    {
        var now = Time.GetUtcNow();
        var schedule = new NudgeSchedule(NudgeSchedule.IdFor(Workspace, TeamId), Workspace, TeamId, Channel.Key, "sales", day, time, enabled, "admin", now, now);
        Nudges.SaveSchedule(schedule);
        return schedule;
    }

    public NudgePlanner Planner(RecordingLogger<NudgePlanner>? logger = null) =>
        new(Nudges, Store, Directory, Outbox, new NudgeContentBuilder(Store), Time, Microsoft.Extensions.Options.Options.Create(Options), logger ?? new RecordingLogger<NudgePlanner>());

    public OutboxDispatcher Dispatcher(string instance = "instance-a", params IProactiveSender[] senders)
    {
        var options = new NudgeOptions
        {
            InstanceId = instance,
            GraceWindow = Options.GraceWindow,
            LeaseDuration = Options.LeaseDuration,
            MaxAttempts = Options.MaxAttempts,
            ReminderHour = Options.ReminderHour,
            RateLimitMargin = TimeSpan.Zero,
        };
        return new OutboxDispatcher(new LiteDbOutbox(Context), Directory, senders.Length == 0 ? [Sender] : senders, new OutboundRateLimiter(Time, TimeSpan.Zero),
            Time, Microsoft.Extensions.Options.Options.Create(options), NullLogger<OutboxDispatcher>.Instance);
    }

    /// <summary>Plans and drains once, like one scheduler pass.</summary>
    public async Task<(PlanSummary Plan, DispatchSummary Sent)> PassAsync(NudgePlanner? planner = null, OutboxDispatcher? dispatcher = null)
    {
        var plan = (planner ?? Planner()).PlanDue();
        var sent = await DrainAsync(dispatcher ?? Dispatcher());
        return (plan, sent);
    }

    /// <summary>
    /// Drains while the fake clock moves: the rate limiter spreads a tenant's messages 1/30 s apart and the
    /// dispatcher waits for each slot on the (fake) clock, so, as the real clock would, the fake one has to move
    /// while a drain waits. Whenever the drain is waiting on a timer, the clock jumps exactly to the earliest
    /// one, so no test's clock moves further than the waits the limiter asked for.
    /// </summary>
    public async Task<DispatchSummary> DrainAsync(OutboxDispatcher dispatcher, CancellationToken cancellationToken = default)
    {
        var drain = dispatcher.DrainAsync(cancellationToken);
        while (await Task.WhenAny(drain, Task.Delay(2, CancellationToken.None)) != drain)
        {
            if (Time.EarliestPendingTimer is { } due && due > Time.GetUtcNow())
            {
                Time.Advance(due - Time.GetUtcNow());
            }
        }
        return await drain;
    }

    /// <summary>Moves the clock in steps, running a pass at each step (a scheduler polling every <paramref name="step"/>).</summary>
    public async Task RunForAsync(TimeSpan duration, TimeSpan step, NudgePlanner? planner = null, OutboxDispatcher? dispatcher = null)
    {
        planner ??= Planner();
        dispatcher ??= Dispatcher();
        var end = Time.GetUtcNow() + duration;
        while (Time.GetUtcNow() < end)
        {
            Time.Advance(step);
            await PassAsync(planner, dispatcher);
        }
    }

    public void Dispose() => Database.Dispose();
}

/// <summary>A logger that keeps the formatted lines, so tests can check what was logged.</summary>
internal sealed class RecordingLogger<T> : ILogger<T>
{
    public ConcurrentQueue<(LogLevel Level, string Message)> Lines { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    public bool IsEnabled(LogLevel logLevel) => true;
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Enqueue((logLevel, formatter(state, exception)));
}

/// <summary>A <see cref="FakeTimeProvider"/> that knows when its earliest pending timer is due (see <see cref="World.DrainAsync"/>).</summary>
internal sealed class SchedulingClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly ConcurrentDictionary<object, DateTimeOffset> _pending = new();

    /// <summary>The due instant of the earliest timer not yet fired or disposed, or null.</summary>
    public DateTimeOffset? EarliestPendingTimer => _pending.IsEmpty ? null : _pending.Values.DefaultIfEmpty(DateTimeOffset.MaxValue).Min();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var token = new object();
        Track(token, dueTime);
        var inner = base.CreateTimer(s =>
        {
            _pending.TryRemove(token, out _);
            callback(s);
        }, state, dueTime, period);
        return new TrackedTimer(inner, this, token);
    }

    private void Track(object token, TimeSpan dueTime)
    {
        if (dueTime == Timeout.InfiniteTimeSpan)
        {
            _pending.TryRemove(token, out _);
        }
        else
        {
            _pending[token] = GetUtcNow() + dueTime;
        }
    }

    private sealed class TrackedTimer(ITimer inner, SchedulingClock clock, object token) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            clock.Track(token, dueTime);
            return inner.Change(dueTime, period);
        }

        public void Dispose()
        {
            clock._pending.TryRemove(token, out _);
            inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            clock._pending.TryRemove(token, out _);
            return inner.DisposeAsync();
        }
    }
}
