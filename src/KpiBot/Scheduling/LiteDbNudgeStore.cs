using KpiBot.Storage.LiteDb;
using LiteDB;

namespace KpiBot.Scheduling;

/// <summary>Stores nudge schedules (one per team) and people's reminder preferences.</summary>
public interface INudgeStore
{
    /// <summary>The schedule of a team, or null when none was ever set.</summary>
    NudgeSchedule? FindSchedule(string workspaceId, string teamId);

    /// <summary>Every schedule (enabled or not) of every workspace.</summary>
    IReadOnlyList<NudgeSchedule> ListSchedules();

    /// <summary>Inserts or replaces a team's schedule.</summary>
    void SaveSchedule(NudgeSchedule schedule);

    /// <summary>Records that occurrences up to <paramref name="through"/> are handled (never moves it back).</summary>
    void AdvanceCheckpoint(string scheduleId, DateTimeOffset through);

    /// <summary>A person's reminder state, or null when they never had one.</summary>
    ReminderState? FindReminderState(string workspaceId, string personId);

    /// <summary>Inserts or replaces a person's reminder state.</summary>
    void SaveReminderState(ReminderState state);
}

/// <summary>
/// <see cref="INudgeStore"/> in the shared LiteDB database (collections <c>nudge_schedules</c> and
/// <c>nudge_reminders</c>).
/// </summary>
public sealed class LiteDbNudgeStore : INudgeStore
{
    private readonly ILiteCollection<ScheduleDocument> _schedules;
    private readonly ILiteCollection<ReminderDocument> _reminders;

    /// <summary>Uses the process's shared database.</summary>
    public LiteDbNudgeStore(LiteDbContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _schedules = context.Database.GetCollection<ScheduleDocument>("nudge_schedules");
        _reminders = context.Database.GetCollection<ReminderDocument>("nudge_reminders");
    }

    /// <inheritdoc />
    public NudgeSchedule? FindSchedule(string workspaceId, string teamId) =>
        _schedules.FindById(NudgeSchedule.IdFor(workspaceId, teamId))?.ToSchedule();

    /// <inheritdoc />
    public IReadOnlyList<NudgeSchedule> ListSchedules() => _schedules.FindAll().Select(d => d.ToSchedule()).ToList();

    /// <inheritdoc />
    public void SaveSchedule(NudgeSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        _schedules.Upsert(ScheduleDocument.From(schedule));
    }

    /// <inheritdoc />
    public void AdvanceCheckpoint(string scheduleId, DateTimeOffset through)
    {
        var ticks = through.UtcTicks;
        _schedules.UpdateMany(d => new ScheduleDocument { CheckedThrough = ticks }, d => d.Id == scheduleId && d.CheckedThrough < ticks);
    }

    /// <inheritdoc />
    public ReminderState? FindReminderState(string workspaceId, string personId) =>
        _reminders.FindById(ReminderDocument.IdFor(workspaceId, personId))?.ToState();

    /// <inheritdoc />
    public void SaveReminderState(ReminderState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        _reminders.Upsert(ReminderDocument.From(state));
    }

    internal sealed class ScheduleDocument
    {
        [BsonId]
        public string Id { get; set; } = "";
        public string WorkspaceId { get; set; } = "";
        public string TeamId { get; set; } = "";
        public string ChannelKey { get; set; } = "";
        public string? ChannelName { get; set; }
        public int Day { get; set; }
        public int MinuteOfDay { get; set; }
        public bool Enabled { get; set; }
        public string UpdatedBy { get; set; } = "";
        public long UpdatedAt { get; set; }
        public long CheckedThrough { get; set; }

        public static ScheduleDocument From(NudgeSchedule s) => new()
        {
            Id = s.Id,
            WorkspaceId = s.WorkspaceId,
            TeamId = s.TeamId,
            ChannelKey = s.ChannelKey,
            ChannelName = s.ChannelName,
            Day = (int)s.Day,
            MinuteOfDay = (s.Time.Hour * 60) + s.Time.Minute,
            Enabled = s.Enabled,
            UpdatedBy = s.UpdatedBy,
            UpdatedAt = s.UpdatedAt.UtcTicks,
            CheckedThrough = s.CheckedThrough.UtcTicks,
        };

        public NudgeSchedule ToSchedule() => new(
            Id, WorkspaceId, TeamId, ChannelKey, ChannelName, (DayOfWeek)Day, new TimeOnly(MinuteOfDay / 60, MinuteOfDay % 60),
            Enabled, UpdatedBy, new DateTimeOffset(UpdatedAt, TimeSpan.Zero), new DateTimeOffset(CheckedThrough, TimeSpan.Zero));
    }

    internal sealed class ReminderDocument
    {
        [BsonId]
        public string Id { get; set; } = "";
        public string WorkspaceId { get; set; } = "";
        public string PersonId { get; set; } = "";
        public bool Off { get; set; }
        public int SnoozedThrough { get; set; }
        public int LastRemindedOn { get; set; }
        public long UpdatedAt { get; set; }

        public static string IdFor(string workspaceId, string personId) => $"{workspaceId}/{personId}".ToLowerInvariant();

        public static ReminderDocument From(ReminderState s) => new()
        {
            Id = IdFor(s.WorkspaceId, s.PersonId),
            WorkspaceId = s.WorkspaceId,
            PersonId = s.PersonId,
            Off = s.Off,
            SnoozedThrough = s.SnoozedThrough?.DayNumber ?? 0,
            LastRemindedOn = s.LastRemindedOn?.DayNumber ?? 0,
            UpdatedAt = s.UpdatedAt.UtcTicks,
        };

        public ReminderState ToState() => new(
            WorkspaceId, PersonId, Off,
            SnoozedThrough == 0 ? null : DateOnly.FromDayNumber(SnoozedThrough),
            LastRemindedOn == 0 ? null : DateOnly.FromDayNumber(LastRemindedOn),
            new DateTimeOffset(UpdatedAt, TimeSpan.Zero));
    }
}
