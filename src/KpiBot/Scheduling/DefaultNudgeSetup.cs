using System.Globalization;
using KpiBot.Channels;
using KpiBot.Conversation;
using KpiBot.Domain;
using KpiBot.Replies;
using KpiBot.Storage;

namespace KpiBot.Scheduling;

/// <summary>The default weekly nudge that was just created for a team, and the words telling its channel.</summary>
/// <param name="Schedule">The stored schedule (Friday 15:00 in the team's zone, on).</param>
/// <param name="Team">The team it belongs to.</param>
/// <param name="Announcement">One sentence for the welcome: when, where, and how an admin changes it.</param>
public sealed record DefaultNudge(NudgeSchedule Schedule, Team Team, string Announcement)
{
    /// <summary>The announcement as a reply of its own (Slack posts it after the answer to the first command).</summary>
    public Reply ToReply() => new(
        Announcement,
        [
            new Paragraph(Announcement),
            new Actions([new ReplyAction("Show the nudge", "nudges", Primary: true), new ReplyAction("Turn it off", "nudges off")]),
        ],
        ReplyVisibility.Conversation);
}

/// <summary>
/// Gives a team its weekly nudge without anyone asking: the first time KpiBot arrives in a team channel (Teams:
/// installed into the team, conversationUpdate with the bot among membersAdded; Slack: the first command typed
/// in a channel), the team gets the documented default, Friday 15:00 in its zone, for that channel. Only when the
/// team has no schedule at all: a schedule an admin set elsewhere, or turned off with <c>nudges off</c> (which keeps
/// the record), is never replaced or switched back on.
/// </summary>
public sealed class DefaultNudgeSetup
{
    private readonly IKpiStore _store;
    private readonly INudgeStore _nudges;
    private readonly TimeProvider _time;
    private readonly ILogger<DefaultNudgeSetup> _logger;
    private readonly Lock _gate = new();

    /// <summary>Creates the setup.</summary>
    public DefaultNudgeSetup(IKpiStore store, INudgeStore nudges, TimeProvider time, ILogger<DefaultNudgeSetup> logger)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _nudges = nudges ?? throw new ArgumentNullException(nameof(nudges));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>
    /// Creates the default schedule for the team of <paramref name="channel"/> when that team has none yet and
    /// returns it; null when nothing was created (not a channel, the team already has a schedule, or the team is
    /// ambiguous). The team is the one of the person who added KpiBot or typed in the channel
    /// (<paramref name="platformUserId"/>), else the workspace's only team.
    /// </summary>
    public DefaultNudge? EnsureForChannel(ConversationAddress channel, string? platformUserId)
    {
        ArgumentNullException.ThrowIfNull(channel);
        if (channel.Kind != ConversationKind.Channel || !channel.Active)
        {
            return null;
        }
        var team = TeamOf(channel.WorkspaceId, platformUserId);
        if (team is null)
        {
            return null;
        }
        var now = _time.GetUtcNow();
        var (day, time) = NudgeSchedule.Default;
        NudgeSchedule schedule;
        lock (_gate)
        {
            // Check and write under one lock: a Teams install announces itself twice (conversationUpdate and
            // installationUpdate), possibly at the same moment.
            if (_nudges.FindSchedule(team.WorkspaceId, team.Id) is not null)
            {
                return null;
            }
            schedule = new NudgeSchedule(
                NudgeSchedule.IdFor(team.WorkspaceId, team.Id), team.WorkspaceId, team.Id, channel.Key, channel.Name, day, time,
                Enabled: true, UpdatedBy: "kpibot (default)", UpdatedAt: now, CheckedThrough: now);
            _nudges.SaveSchedule(schedule);
        }
        var zone = NudgeCalendar.ResolveZone(team.Settings.TimeZoneId);
        var next = NudgeCalendar.NextOccurrence(day, time, zone, now);
        var where = channel.Name is { Length: > 0 } name ? "#" + name.TrimStart('#') : "this channel";
        _logger.LogInformation("Default weekly nudge for team {TeamId} of {WorkspaceId}: {Day} {Time:HH:mm} {Zone} in {Channel}",
            team.Id, team.WorkspaceId, day, time, zone.Id, channel.Key);
        var announcement =
            $"Weekly nudge set: every {day} at {time:HH:mm} ({zone.Id}) I post {team.Name}'s week in {where}: the funnel, the trend and who has not logged yet " +
            $"(first one {NudgeCalendar.LocalTime(next, zone).ToString("dddd d MMMM", CultureInfo.InvariantCulture)}). " +
            "An admin can move it with \"nudge mondays 9:00\", turn it off with \"nudges off\", or type \"nudges\" to see it.";
        return new DefaultNudge(schedule, team, announcement);
    }

    private Team? TeamOf(string workspaceId, string? platformUserId)
    {
        if (platformUserId is { Length: > 0 } && _store.FindPersonByPlatformUser(workspaceId, platformUserId) is { } person
            && _store.FindTeam(workspaceId, person.TeamId) is { } own)
        {
            return own;
        }
        var teams = _store.ListTeams(workspaceId);
        if (teams.Count == 1)
        {
            return teams[0];
        }
        _logger.LogInformation("No default nudge for {WorkspaceId}: {Count} teams and no known person to pick one; an admin sets it with \"nudge fridays 15:00\"", workspaceId, teams.Count);
        return null;
    }
}
