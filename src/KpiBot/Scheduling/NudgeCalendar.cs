using System.Globalization;
using Cronos;

namespace KpiBot.Scheduling;

/// <summary>
/// Pure calendar arithmetic for nudges and reminders: cron occurrences in a team's IANA zone, ISO-week
/// periods and working days. No clock reads: "now" is always a parameter.
/// </summary>
public static class NudgeCalendar
{
    /// <summary>The five-field cron expression of a weekly local time ("0 15 * * 5" for Friday 15:00).</summary>
    public static CronExpression CronFor(DayOfWeek day, TimeOnly time) =>
        CronExpression.Parse(string.Create(CultureInfo.InvariantCulture, $"{time.Minute} {time.Hour} * * {(int)day}"));

    /// <summary>
    /// The first occurrence strictly after <paramref name="after"/>. Cronos evaluates the expression in
    /// <paramref name="zone"/>: a local time skipped by a spring-forward change fires at the first valid
    /// instant after the gap, and a local time that happens twice at a fall-back change fires once (the
    /// first time), so a daylight-saving change never skips or doubles a nudge.
    /// </summary>
    public static DateTimeOffset NextOccurrence(DayOfWeek day, TimeOnly time, TimeZoneInfo zone, DateTimeOffset after) =>
        CronFor(day, time).GetNextOccurrence(after, zone)
        ?? throw new InvalidOperationException("A weekly cron expression always has a next occurrence.");

    /// <summary>Every occurrence in (<paramref name="fromExclusive"/>, <paramref name="toInclusive"/>], oldest first.</summary>
    public static IReadOnlyList<DateTimeOffset> OccurrencesBetween(DayOfWeek day, TimeOnly time, TimeZoneInfo zone, DateTimeOffset fromExclusive, DateTimeOffset toInclusive)
    {
        if (toInclusive <= fromExclusive)
        {
            return [];
        }
        var cron = CronFor(day, time);
        return cron.GetOccurrences(fromExclusive, toInclusive, zone, fromInclusive: false, toInclusive: true).ToList();
    }

    /// <summary>The ISO week ("2026-W49") an instant falls in, in <paramref name="zone"/>: the nudge's period.</summary>
    public static string IsoWeekOf(DateTimeOffset instant, TimeZoneInfo zone) => IsoWeekOf(LocalDate(instant, zone));

    /// <summary>The ISO week ("2026-W49") of a local date.</summary>
    public static string IsoWeekOf(DateOnly date)
    {
        var asDateTime = date.ToDateTime(TimeOnly.MinValue);
        return string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(asDateTime)}-W{ISOWeek.GetWeekOfYear(asDateTime):00}");
    }

    /// <summary>The Monday of the ISO week containing <paramref name="date"/>.</summary>
    public static DateOnly MondayOf(DateOnly date) => date.AddDays(-(((int)date.DayOfWeek + 6) % 7));

    /// <summary>The local date of an instant in a zone.</summary>
    public static DateOnly LocalDate(DateTimeOffset instant, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

    /// <summary>The local wall-clock time of an instant in a zone.</summary>
    public static DateTimeOffset LocalTime(DateTimeOffset instant, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(instant, zone);

    /// <summary>True on Saturday and Sunday: no reminders, and no working day for the "not logged for N days" count.</summary>
    public static bool IsWeekend(DateOnly date) => date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;

    /// <summary>
    /// The working days strictly after <paramref name="after"/> and strictly before <paramref name="before"/>:
    /// weekdays on which <paramref name="isAway"/> is false. "Not logged for 2 working days" on a Wednesday
    /// after a last log on Friday counts Monday and Tuesday.
    /// </summary>
    public static int WorkingDaysBetween(DateOnly after, DateOnly before, Func<DateOnly, bool> isAway)
    {
        ArgumentNullException.ThrowIfNull(isAway);
        var count = 0;
        for (var day = after.AddDays(1); day < before; day = day.AddDays(1))
        {
            if (!IsWeekend(day) && !isAway(day))
            {
                count++;
            }
        }
        return count;
    }

    /// <summary>
    /// Resolves an IANA zone id; an unknown id falls back to <paramref name="fallbackId"/> and then UTC so one
    /// bad setting never stops the scheduler for everyone.
    /// </summary>
    public static TimeZoneInfo ResolveZone(string? zoneId, string? fallbackId = null)
    {
        foreach (var id in new[] { zoneId, fallbackId })
        {
            if (!string.IsNullOrWhiteSpace(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone))
            {
                return zone;
            }
        }
        return TimeZoneInfo.Utc;
    }
}
