using System.Globalization;
using System.Text.RegularExpressions;
using KpiBot.Channels;
using KpiBot.Conversation;
using KpiBot.Domain;
using KpiBot.Replies;
using KpiBot.Storage;

namespace KpiBot.Scheduling;

/// <summary>
/// The chat commands of this area. The conversation engine offers a message to <see cref="TryHandle"/>
/// and uses the reply when one comes back; null means "not a nudge or reminder command".
/// </summary>
public interface INudgeCommands
{
    /// <summary>Handles <c>nudge …</c>, <c>nudges</c>, <c>nudges off|on</c>, <c>remind snooze</c>, <c>reminders off|on</c>.</summary>
    Reply? TryHandle(IncomingMessage message);
}

/// <summary>The commands of this area.</summary>
public enum CommandKind
{
    /// <summary>Not a nudge or reminder command.</summary>
    None,
    /// <summary><c>nudge …</c> / <c>nudges …</c> (admin).</summary>
    Nudges,
    /// <summary><c>remind snooze</c>, <c>reminders off|on</c> (everyone, for themselves).</summary>
    Reminders,
}

/// <summary>
/// <c>nudge fridays 15:00</c>, <c>nudge mondays 9:00 in #sales</c>, <c>nudges off</c>, <c>nudges on</c>,
/// <c>nudges</c> (admin only; the schedule is for the sender's team, in the team's zone) and the personal
/// <c>remind snooze</c>, <c>reminders off</c>, <c>reminders on</c>.
/// </summary>
public sealed partial class NudgeCommands : INudgeCommands
{
    private const string Examples = "nudge fridays 15:00 · nudge mondays 9:00 in #sales · nudges off · nudges";
    private readonly IKpiStore _store;
    private readonly INudgeStore _nudges;
    private readonly IConversationDirectory _directory;
    private readonly TimeProvider _time;

    /// <summary>Creates the handler.</summary>
    public NudgeCommands(IKpiStore store, INudgeStore nudges, IConversationDirectory directory, TimeProvider time)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _nudges = nudges ?? throw new ArgumentNullException(nameof(nudges));
        _directory = directory ?? throw new ArgumentNullException(nameof(directory));
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    /// <inheritdoc />
    public Reply? TryHandle(IncomingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (Recognize(message.Text) == CommandKind.None)
        {
            return null;
        }
        var person = _store.FindPersonByPlatformUser(message.WorkspaceId, message.UserId);
        if (person is null)
        {
            return Error("I don't know you yet in this workspace. Say hello or log a number first.");
        }
        var team = _store.FindTeam(message.WorkspaceId, person.TeamId);
        if (team is null)
        {
            return Error("You are not in a team yet, so there are no nudges or reminders to change.");
        }
        return Handle(message, person, team);
    }

    /// <summary>Which of this area's commands <paramref name="text"/> is, if any (nothing is stored).</summary>
    public static CommandKind Recognize(string? text)
    {
        var normalized = Normalize(text);
        return ReminderCommand().IsMatch(normalized) ? CommandKind.Reminders
            : NudgeCommand().IsMatch(normalized) ? CommandKind.Nudges
            : CommandKind.None;
    }

    /// <summary>Runs a recognized command for a known person of a known team.</summary>
    public Reply Handle(IncomingMessage message, Person person, Team team)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(person);
        ArgumentNullException.ThrowIfNull(team);
        var text = Normalize(message.Text);
        if (ReminderCommand().Match(text) is { Success: true } reminder)
        {
            return Reminders(message, person, team, reminder.Groups["what"].Value);
        }
        var nudge = NudgeCommand().Match(text);
        if (!nudge.Success)
        {
            return Error($"That is not a nudge or reminder command. Try: {Examples} · remind snooze · reminders off.");
        }
        if (person.Role != Role.Admin)
        {
            var admins = _store.ListPeople(message.WorkspaceId).Where(p => p.Role == Role.Admin).Select(p => p.DisplayName).ToList();
            var ask = admins.Count == 0 ? "an admin" : string.Join(" or ", admins);
            return Error($"Only an admin can see or change the team's nudges. Ask {ask}.");
        }
        var rest = nudge.Groups["rest"].Value.Trim();
        return rest switch
        {
            "" => Show(team),
            "off" or "stop" => Toggle(message, team, enabled: false),
            "on" or "start" => Toggle(message, team, enabled: true),
            _ => Set(message, person, team, rest),
        };
    }

    private static string Normalize(string? text) => Whitespace().Replace((text ?? "").Trim(), " ").ToLowerInvariant();

    private Reply Show(Team team)
    {
        var schedule = _nudges.FindSchedule(team.WorkspaceId, team.Id);
        var zone = NudgeCalendar.ResolveZone(team.Settings.TimeZoneId);
        if (schedule is null)
        {
            var (day, time) = NudgeSchedule.Default;
            return new Reply(
                "No weekly nudge is set for this team yet.",
                [
                    new Paragraph($"No weekly nudge is set for {team.Name} yet. Type \"nudge {Plural(day)} {time:HH:mm}\" in the team channel to post one every {day} at {time:HH:mm} ({zone.Id})."),
                    new Actions([new ReplyAction($"Nudge {Plural(day)} {time:HH:mm}", $"nudge {Plural(day)} {time:HH:mm}", Primary: true)]),
                ]);
        }
        var now = _time.GetUtcNow();
        var facts = new List<Fact>
        {
            new("When", $"Every {schedule.Day} at {schedule.Time:HH:mm} ({zone.Id})"),
            new("Channel", schedule.ChannelName is { Length: > 0 } name ? "#" + name.TrimStart('#') : schedule.ChannelKey),
            new("Status", schedule.Enabled ? "On" : "Off (type \"nudges on\" to resume)", schedule.Enabled ? Tone.Good : Tone.Warning),
        };
        if (schedule.Enabled)
        {
            var next = NudgeCalendar.NextOccurrence(schedule.Day, schedule.Time, zone, now);
            facts.Add(new Fact("Next nudge", $"{NudgeCalendar.LocalTime(next, zone).ToString("dddd d MMMM yyyy HH:mm", CultureInfo.InvariantCulture)} {zone.Id} ({Until(next - now)})"));
        }
        facts.Add(new Fact("Reminders", $"After {team.Settings.ReminderWorkingDays} working days without numbers, at most one a day, never on weekends or away days", Tone.Muted));
        return new Reply(
            schedule.Enabled ? $"Weekly nudge: {schedule.Day}s at {schedule.Time:HH:mm} ({zone.Id})." : "The weekly nudge is off.",
            [new Heading($"{team.Name}: weekly nudge"), new FactList(facts)]);
    }

    private Reply Toggle(IncomingMessage message, Team team, bool enabled)
    {
        var schedule = _nudges.FindSchedule(team.WorkspaceId, team.Id);
        var now = _time.GetUtcNow();
        if (schedule is null)
        {
            return enabled
                ? Error($"There is no nudge to turn on yet. Set one in the team channel: {Examples}.")
                : Reply.Text("There is no weekly nudge to turn off: none was set.");
        }
        _nudges.SaveSchedule(schedule with { Enabled = enabled, UpdatedBy = message.UserId, UpdatedAt = now, CheckedThrough = enabled ? now : schedule.CheckedThrough });
        return enabled
            ? Reply.Text($"Weekly nudges are on again: every {schedule.Day} at {schedule.Time:HH:mm}.", Tone.Good)
            : Reply.Text($"Weekly nudges are off for {team.Name}. Type \"nudges on\" to resume them.");
    }

    private Reply Set(IncomingMessage message, Person person, Team team, string rest)
    {
        var match = ScheduleArguments().Match(rest);
        if (!match.Success)
        {
            return Error($"I could not read \"{rest}\" as a day and a time. Try: {Examples}.");
        }
        if (!TryParseDay(match.Groups["day"].Value, out var day))
        {
            return Error($"\"{match.Groups["day"].Value}\" is not a weekday. Use monday … sunday (or mon, tue, …), e.g. nudge fridays 15:00.");
        }
        if (!TryParseTime(match.Groups["time"].Value, out var time))
        {
            return Error($"\"{match.Groups["time"].Value}\" is not a time of day. Use 24-hour 15:00 or 9:30, or 3pm.");
        }

        ConversationAddress? channel;
        var named = match.Groups["channel"].Success ? match.Groups["channel"].Value.Trim() : null;
        if (named is not null)
        {
            channel = FindChannel(message, named);
            if (channel is null)
            {
                var known = _directory.List(message.WorkspaceId).Where(a => a.Kind == ConversationKind.Channel && a.Active && a.Name is not null).Select(a => "#" + a.Name).ToList();
                var hint = known.Count == 0 ? "Add me to the channel first, then type the command there." : $"Channels I am in: {string.Join(", ", known)}.";
                return Error($"I am not in a channel called \"{named}\". {hint}");
            }
        }
        else
        {
            if (message.Kind != ConversationKind.Channel || message.ConversationId is null)
            {
                return Error("Type this in the team channel the nudge should go to, or name the channel: nudge mondays 9:00 in #sales.");
            }
            channel = _directory.Find(ConversationAddress.KeyOf(message.Platform, message.WorkspaceId, message.ConversationId));
            if (channel is null)
            {
                return Error("I have no way to post in this channel yet (the platform has not introduced it). Remove and add me again, or name another channel: nudge mondays 9:00 in #sales.");
            }
        }

        var now = _time.GetUtcNow();
        var schedule = new NudgeSchedule(
            NudgeSchedule.IdFor(team.WorkspaceId, team.Id), team.WorkspaceId, team.Id, channel.Key, channel.Name, day, time,
            Enabled: true, UpdatedBy: person.Id, UpdatedAt: now, CheckedThrough: now);
        _nudges.SaveSchedule(schedule);
        var zone = NudgeCalendar.ResolveZone(team.Settings.TimeZoneId);
        var next = NudgeCalendar.NextOccurrence(day, time, zone, now);
        var where = channel.Name is { Length: > 0 } n ? "#" + n.TrimStart('#') : "this channel";
        var text = $"Done: {team.Name}'s weekly nudge goes to {where} every {day} at {time:HH:mm} ({zone.Id}). " +
                   $"Next: {NudgeCalendar.LocalTime(next, zone).ToString("dddd d MMMM HH:mm", CultureInfo.InvariantCulture)} ({Until(next - now)}). " +
                   "Managers get their private digest at the same time.";
        return Reply.Text(text, Tone.Good);
    }

    private Reply Reminders(IncomingMessage message, Person person, Team team, string what)
    {
        var now = _time.GetUtcNow();
        var zone = NudgeCalendar.ResolveZone(person.TimeZoneId, team.Settings.TimeZoneId);
        var today = NudgeCalendar.LocalDate(now, zone);
        var state = _nudges.FindReminderState(message.WorkspaceId, person.Id) ?? ReminderState.Initial(message.WorkspaceId, person.Id, now);
        switch (what)
        {
            case "snooze":
                var through = today.AddDays(7);
                _nudges.SaveReminderState(state with { SnoozedThrough = through, UpdatedAt = now });
                return Reply.Text($"Snoozed: no reminders until after {through.ToString("dddd d MMMM", CultureInfo.InvariantCulture)}. Type \"reminders on\" to undo.");
            case "off" or "stop":
                _nudges.SaveReminderState(state with { Off = true, UpdatedAt = now });
                return Reply.Text("Reminders are off. You will not get another one. Type \"reminders on\" whenever you want them back.");
            case "on" or "start":
                _nudges.SaveReminderState(state with { Off = false, SnoozedThrough = null, UpdatedAt = now });
                var days = team.Settings.ReminderWorkingDays;
                return Reply.Text($"Reminders are on: a gentle one after {days} working days without numbers, never on weekends or away days, at most one a day.", Tone.Good);
            default:
                return Error($"\"{what}\" is not a reminder setting. Use: remind snooze · reminders off · reminders on.");
        }
    }

    private ConversationAddress? FindChannel(IncomingMessage message, string named)
    {
        // Slack sends a typed channel link as <#C0123|sales> (or <#C0123>); people type #sales or sales.
        var link = SlackChannelLink().Match(named);
        var channels = _directory.List(message.WorkspaceId).Where(a => a.Kind == ConversationKind.Channel && a.Active).ToList();
        if (link.Success)
        {
            var id = link.Groups["id"].Value;
            return channels.FirstOrDefault(a => string.Equals(a.ConversationId, id, StringComparison.OrdinalIgnoreCase));
        }
        var name = named.TrimStart('#').Trim();
        return channels.FirstOrDefault(a => string.Equals(a.Name?.TrimStart('#'), name, StringComparison.OrdinalIgnoreCase))
            ?? channels.FirstOrDefault(a => string.Equals(a.ConversationId, name, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Reads monday/mondays/mon (any case) as a weekday.</summary>
    internal static bool TryParseDay(string text, out DayOfWeek day)
    {
        var word = text.Trim().ToLowerInvariant();
        foreach (var candidate in Enum.GetValues<DayOfWeek>())
        {
            var name = candidate.ToString().ToLowerInvariant();
            if (word == name || word == name + "s" || word == name[..3] || (word.Length >= 3 && name.StartsWith(word, StringComparison.Ordinal)))
            {
                day = candidate;
                return true;
            }
        }
        day = default;
        return false;
    }

    /// <summary>Reads 15:00, 9:30, 9, 15.00, 3pm, 3:30 pm as a time of day.</summary>
    internal static bool TryParseTime(string text, out TimeOnly time)
    {
        time = default;
        var match = TimeOfDay().Match(text.Trim().ToLowerInvariant());
        if (!match.Success)
        {
            return false;
        }
        var hour = int.Parse(match.Groups["h"].Value, CultureInfo.InvariantCulture);
        var minute = match.Groups["m"].Success ? int.Parse(match.Groups["m"].Value, CultureInfo.InvariantCulture) : 0;
        if (match.Groups["ampm"].Success)
        {
            if (hour is < 1 or > 12)
            {
                return false;
            }
            hour = (hour % 12) + (match.Groups["ampm"].Value == "pm" ? 12 : 0);
        }
        if (hour > 23 || minute > 59)
        {
            return false;
        }
        time = new TimeOnly(hour, minute);
        return true;
    }

    private static string Plural(DayOfWeek day) => day.ToString().ToLowerInvariant() + "s";

    private static string Until(TimeSpan span)
    {
        if (span < TimeSpan.FromMinutes(1))
        {
            return "in less than a minute";
        }
        if (span < TimeSpan.FromHours(1))
        {
            return $"in {(int)span.TotalMinutes} min";
        }
        if (span < TimeSpan.FromDays(1))
        {
            return $"in {(int)span.TotalHours} h {span.Minutes} min";
        }
        return $"in {(int)span.TotalDays} days";
    }

    private static Reply Error(string text) => Reply.Text(text, Tone.Attention);

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"^nudges?(?:\s+(?<rest>.*))?$")]
    private static partial Regex NudgeCommand();

    [GeneratedRegex(@"^(?:remind(?:ers?)?\s+(?<what>snooze)(?:\s+.*)?|reminders?\s+(?<what>off|on|stop|start))$")]
    private static partial Regex ReminderCommand();

    [GeneratedRegex(@"^(?:on\s+|every\s+)?(?<day>[a-z]+)\s+(?:at\s+)?(?<time>\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?)(?:\s+in\s+(?<channel>.+))?$")]
    private static partial Regex ScheduleArguments();

    [GeneratedRegex(@"^(?<h>\d{1,2})(?:[:.](?<m>\d{2}))?\s*(?<ampm>am|pm)?$")]
    private static partial Regex TimeOfDay();

    [GeneratedRegex(@"^<#(?<id>[A-Z0-9]+)(?:\|[^>]*)?>$", RegexOptions.IgnoreCase)]
    private static partial Regex SlackChannelLink();
}
