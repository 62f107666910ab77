using System.Collections.Concurrent;
using KpiBot.Channels;
using KpiBot.Conversation;
using KpiBot.Domain;
using KpiBot.Storage;
using Microsoft.Extensions.Options;

namespace KpiBot.Scheduling;

/// <summary>What one planning pass queued.</summary>
public sealed record PlanSummary(int TeamNudges, int Digests, int Reminders, int SkippedLate);

/// <summary>
/// Decides what is due and records it in the outbox (before anything is sent): each team's weekly nudge and
/// its managers' digests when the schedule's occurrence has passed, and personal reminders for people who
/// have gone quiet. Safe to run on several instances at once: every message has an idempotency key, so the
/// second instance to plan the same occurrence adds nothing.
/// </summary>
public sealed class NudgePlanner
{
    private readonly INudgeStore _nudges;
    private readonly IKpiStore _store;
    private readonly IConversationDirectory _directory;
    private readonly IOutbox _outbox;
    private readonly NudgeContentBuilder _content;
    private readonly TimeProvider _time;
    private readonly NudgeOptions _options;
    private readonly ILogger<NudgePlanner> _logger;

    /// <summary>People whose reminder question is settled for a local date (logged, or reminded): not re-read every poll.</summary>
    private readonly ConcurrentDictionary<string, DateOnly> _settledToday = new(StringComparer.Ordinal);

    /// <summary>Creates the planner.</summary>
    public NudgePlanner(
        INudgeStore nudges,
        IKpiStore store,
        IConversationDirectory directory,
        IOutbox outbox,
        NudgeContentBuilder content,
        TimeProvider time,
        IOptions<NudgeOptions> options,
        ILogger<NudgePlanner> logger)
    {
        _nudges = nudges ?? throw new ArgumentNullException(nameof(nudges));
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _directory = directory ?? throw new ArgumentNullException(nameof(directory));
        _outbox = outbox ?? throw new ArgumentNullException(nameof(outbox));
        _content = content ?? throw new ArgumentNullException(nameof(content));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _options = options?.Value ?? throw new ArgumentNullException(nameof(options));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Plans everything due at the current time.</summary>
    public PlanSummary PlanDue()
    {
        var now = _time.GetUtcNow();
        int nudges = 0, digests = 0, reminders = 0, late = 0;
        foreach (var schedule in _nudges.ListSchedules())
        {
            try
            {
                var (n, d, l) = PlanSchedule(schedule, now);
                nudges += n;
                digests += d;
                late += l;
                reminders += PlanReminders(schedule, now);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One broken team must not stop every other team's nudges.
                _logger.LogError(e, "Planning the nudges of schedule {Schedule} failed", schedule.Id);
            }
        }
        return new PlanSummary(nudges, digests, reminders, late);
    }

    private (int Nudges, int Digests, int Late) PlanSchedule(NudgeSchedule schedule, DateTimeOffset now)
    {
        var team = _store.FindTeam(schedule.WorkspaceId, schedule.TeamId);
        if (team is null)
        {
            return (0, 0, 0);
        }
        var zone = NudgeCalendar.ResolveZone(team.Settings.TimeZoneId);
        var occurrences = NudgeCalendar.OccurrencesBetween(schedule.Day, schedule.Time, zone, schedule.CheckedThrough, now);
        if (occurrences.Count == 0)
        {
            return (0, 0, 0);
        }
        int nudges = 0, digests = 0, late = 0;
        if (schedule.Enabled)
        {
            foreach (var occurrence in occurrences)
            {
                var lateBy = now - occurrence;
                if (lateBy > _options.GraceWindow)
                {
                    late++;
                    _logger.LogWarning(
                        "Skipped the {Week} nudge of team {Team} due {Due:o}: it is {Late} late, beyond the grace window of {Grace}",
                        NudgeCalendar.IsoWeekOf(occurrence, zone), team.Name, occurrence, lateBy, _options.GraceWindow);
                    continue;
                }
                var (n, d) = Enqueue(schedule, team, zone, occurrence, now);
                nudges += n;
                digests += d;
            }
        }
        // Recorded after the messages: a crash in between re-plans the same keys, which the outbox refuses.
        _nudges.AdvanceCheckpoint(schedule.Id, occurrences[^1]);
        return (nudges, digests, late);
    }

    private (int Nudges, int Digests) Enqueue(NudgeSchedule schedule, Team team, TimeZoneInfo zone, DateTimeOffset occurrence, DateTimeOffset now)
    {
        var week = NudgeCalendar.IsoWeekOf(occurrence, zone);
        var today = NudgeCalendar.LocalDate(occurrence, zone);
        var nudges = 0;
        var channel = _directory.Find(schedule.ChannelKey);
        if (channel is null || !channel.Active)
        {
            _logger.LogWarning("The {Week} nudge of team {Team} has no active channel ({Channel}); the digests still go out", week, team.Name, schedule.ChannelKey);
        }
        else
        {
            var key = OutboxKeys.TeamNudge(schedule.Id, week, channel.Key);
            if (_outbox.Find(key) is null && _outbox.TryEnqueue(OutboxMessage.New(key, OutboxKind.TeamNudge, schedule.WorkspaceId, channel.Platform, channel.Key, _content.TeamNudge(team, today), occurrence, now)))
            {
                nudges++;
            }
        }

        var digests = 0;
        var recipients = _content.DigestRecipients(team);
        if (recipients.Count == 0)
        {
            return (nudges, 0);
        }
        Replies.Reply? digest = null;
        foreach (var manager in recipients)
        {
            var key = OutboxKeys.Digest(schedule.Id, week, manager.Id);
            if (_outbox.Find(key) is not null)
            {
                continue;
            }
            var address = PersonalAddress(manager, channel?.Platform);
            if (address is null)
            {
                _logger.LogInformation("Manager {Manager} of team {Team} has no personal chat with the bot; no digest", manager.DisplayName, team.Name);
                continue;
            }
            digest ??= _content.ManagerDigest(team, today);
            if (_outbox.TryEnqueue(OutboxMessage.New(key, OutboxKind.ManagerDigest, schedule.WorkspaceId, address.Platform, address.Key, digest, occurrence, now)))
            {
                digests++;
            }
        }
        return (nudges, digests);
    }

    private int PlanReminders(NudgeSchedule schedule, DateTimeOffset now)
    {
        var team = _store.FindTeam(schedule.WorkspaceId, schedule.TeamId);
        if (team is null || team.Settings.ReminderWorkingDays <= 0)
        {
            return 0;
        }
        var queued = 0;
        foreach (var person in _store.ListPeople(schedule.WorkspaceId, schedule.TeamId))
        {
            if (PlanReminder(team, person, now))
            {
                queued++;
            }
        }
        return queued;
    }

    /// <summary>
    /// Queues a reminder for <paramref name="person"/> when all the gentle rules agree: a weekday in their own
    /// zone, not away, inside the reminder hours, reminders not off or snoozed, silent for the team's working
    /// days since their last log and since the last reminder, and none yet today.
    /// </summary>
    private bool PlanReminder(Team team, Person person, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(person.PlatformUserId))
        {
            return false;
        }
        var zone = NudgeCalendar.ResolveZone(person.TimeZoneId, team.Settings.TimeZoneId);
        var local = NudgeCalendar.LocalTime(now, zone);
        var today = DateOnly.FromDateTime(local.DateTime);
        var settledKey = team.WorkspaceId + "|" + person.Id;
        if (_settledToday.TryGetValue(settledKey, out var settled) && settled == today)
        {
            return false;
        }
        if (NudgeCalendar.IsWeekend(today) || person.IsAwayOn(today))
        {
            return false;
        }
        var start = today.ToDateTime(new TimeOnly(_options.ReminderHour, 0));
        var sinceStart = local.DateTime - start;
        if (sinceStart < TimeSpan.Zero)
        {
            return false; // too early in their day: asked again on a later poll
        }
        if (sinceStart > _options.GraceWindow)
        {
            _settledToday[settledKey] = today; // too late in their day: tomorrow, maybe
            return false;
        }
        var state = _nudges.FindReminderState(team.WorkspaceId, person.Id);
        if (state is not null && (state.Off || (state.SnoozedThrough is { } snoozed && today <= snoozed) || state.LastRemindedOn == today))
        {
            _settledToday[settledKey] = today;
            return false;
        }
        var lookBack = today.AddDays(-60);
        var lastLogged = _store.GetEntries(team.WorkspaceId, [person.Id], lookBack, today)
            .Select(e => (DateOnly?)e.Date)
            .DefaultIfEmpty(null)
            .Max();
        // A person who never logged counts from the day they joined; the last reminder restarts the count too,
        // so a quiet person hears from the bot at most every N working days, not every day.
        var joined = NudgeCalendar.LocalDate(person.CreatedAt, zone).AddDays(-1);
        var countFrom = new[] { lastLogged ?? joined, state?.LastRemindedOn ?? DateOnly.MinValue, lookBack }.Max();
        var silent = NudgeCalendar.WorkingDaysBetween(countFrom, today, person.IsAwayOn);
        if (silent < team.Settings.ReminderWorkingDays || lastLogged == today)
        {
            _settledToday[settledKey] = today;
            return false;
        }
        var address = PersonalAddress(person, null);
        if (address is null)
        {
            _settledToday[settledKey] = today;
            return false;
        }
        var key = OutboxKeys.Reminder(team.WorkspaceId, person.Id, today);
        var workingDaysSinceLog = lastLogged is { } last ? NudgeCalendar.WorkingDaysBetween(last, today, person.IsAwayOn) : silent;
        var added = _outbox.TryEnqueue(OutboxMessage.New(key, OutboxKind.Reminder, team.WorkspaceId, address.Platform, address.Key,
            NudgeContentBuilder.Reminder(person, lastLogged, workingDaysSinceLog), now, now));
        _nudges.SaveReminderState((state ?? ReminderState.Initial(team.WorkspaceId, person.Id, now)) with { LastRemindedOn = today, UpdatedAt = now });
        _settledToday[settledKey] = today;
        return added;
    }

    private ConversationAddress? PersonalAddress(Person person, Platform? preferred)
    {
        if (string.IsNullOrEmpty(person.PlatformUserId))
        {
            return null;
        }
        var workspace = _store.FindWorkspace(person.WorkspaceId);
        var platforms = new List<Platform>();
        if (preferred is { } p)
        {
            platforms.Add(p);
        }
        if (workspace is not null)
        {
            platforms.Add(workspace.Platform);
        }
        platforms.AddRange([Platform.Teams, Platform.Slack, Platform.Local]);
        foreach (var platform in platforms.Distinct())
        {
            var address = _directory.FindPersonal(platform, person.WorkspaceId, person.PlatformUserId);
            if (address is { Active: true, Kind: ConversationKind.Personal })
            {
                return address;
            }
        }
        return null;
    }
}
