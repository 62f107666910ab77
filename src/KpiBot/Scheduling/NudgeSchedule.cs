namespace KpiBot.Scheduling;

/// <summary>
/// A team's weekly nudge: the day and local time (in the team's IANA zone) at which the team channel gets
/// its nudge and the team's managers their private digest. One schedule per team.
/// </summary>
/// <param name="Id">Stable id (<see cref="IdFor"/>); part of every outbox idempotency key it produces.</param>
/// <param name="ChannelKey">The <see cref="Channels.ConversationAddress.Key"/> of the channel the nudge is posted in.</param>
/// <param name="ChannelName">The channel's name as the admin saw it, for the confirmation and <c>nudges</c>.</param>
/// <param name="Day">The weekday of the nudge.</param>
/// <param name="Time">The local wall-clock time of the nudge in the team's zone.</param>
/// <param name="Enabled">False after <c>nudges off</c>: nothing is sent, the settings are kept for <c>nudges on</c>.</param>
/// <param name="CheckedThrough">
/// Occurrences up to this instant have been handled (sent or skipped). A changed schedule restarts it at the
/// change, so moving the nudge never fires a time that is already past.
/// </param>
public sealed record NudgeSchedule(
    string Id,
    string WorkspaceId,
    string TeamId,
    string ChannelKey,
    string? ChannelName,
    DayOfWeek Day,
    TimeOnly Time,
    bool Enabled,
    string UpdatedBy,
    DateTimeOffset UpdatedAt,
    DateTimeOffset CheckedThrough)
{
    /// <summary>The documented default: Friday 15:00 in the team's zone.</summary>
    public static (DayOfWeek Day, TimeOnly Time) Default { get; } = (DayOfWeek.Friday, new TimeOnly(15, 0));

    /// <summary>The id of a team's schedule.</summary>
    public static string IdFor(string workspaceId, string teamId) => $"{workspaceId}/{teamId}".ToLowerInvariant();
}

/// <summary>A person's reminder preferences and the last reminder sent (the "no nagging" bookkeeping).</summary>
/// <param name="Off">True after <c>reminders off</c>.</param>
/// <param name="SnoozedThrough">No reminder on or before this local date (<c>remind snooze</c> = a week).</param>
/// <param name="LastRemindedOn">The local date of the last reminder queued for the person.</param>
public sealed record ReminderState(
    string WorkspaceId,
    string PersonId,
    bool Off,
    DateOnly? SnoozedThrough,
    DateOnly? LastRemindedOn,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The state of a person who never touched the reminder settings.</summary>
    public static ReminderState Initial(string workspaceId, string personId, DateTimeOffset at) =>
        new(workspaceId, personId, false, null, null, at);
}
