using System.Globalization;

namespace KpiBot.Kpis;

/// <summary>One ISO week (Monday to Sunday) in local dates.</summary>
/// <param name="Label">ISO label, e.g. <c>2026-W49</c> (the ISO week-numbering year, which differs from the calendar year around New Year).</param>
/// <param name="Monday">First day.</param>
/// <param name="Sunday">Last day; the week is complete "as of D" when <c>Sunday ≤ D</c>.</param>
public sealed record IsoWeek(string Label, DateOnly Monday, DateOnly Sunday)
{
    /// <summary>True when <paramref name="date"/> falls inside the week.</summary>
    public bool Contains(DateOnly date) => date >= Monday && date <= Sunday;
}

/// <summary>
/// ISO-8601 week arithmetic over local dates. Dates are already in the team's (or person's) zone when they reach
/// the engine, so no time-zone conversion happens here.
/// </summary>
public static class IsoWeeks
{
    /// <summary>The Monday of the ISO week containing <paramref name="date"/>.</summary>
    public static DateOnly MondayOf(DateOnly date)
    {
        // DayOfWeek.Sunday is 0; ISO puts it last, so Monday=0 … Sunday=6.
        var offset = ((int)date.DayOfWeek + 6) % 7;
        return date.AddDays(-offset);
    }

    /// <summary>The ISO week containing <paramref name="date"/>.</summary>
    public static IsoWeek WeekOf(DateOnly date)
    {
        var monday = MondayOf(date);
        var dateTime = monday.ToDateTime(TimeOnly.MinValue);
        var label = string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(dateTime):D4}-W{ISOWeek.GetWeekOfYear(dateTime):D2}");
        return new IsoWeek(label, monday, monday.AddDays(6));
    }

    /// <summary>
    /// The last complete week as of the end of local day <paramref name="asOf"/>: the week itself when
    /// <paramref name="asOf"/> is a Sunday, otherwise the week before.
    /// </summary>
    public static IsoWeek LastCompleteWeek(DateOnly asOf)
    {
        var current = WeekOf(asOf);
        return current.Sunday <= asOf ? current : WeekOf(current.Monday.AddDays(-1));
    }

    /// <summary>The last <paramref name="count"/> complete weeks as of <paramref name="asOf"/>, oldest first.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="count"/> is not positive.</exception>
    public static IReadOnlyList<IsoWeek> LastCompleteWeeks(DateOnly asOf, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var last = LastCompleteWeek(asOf);
        var weeks = new IsoWeek[count];
        for (var i = 0; i < count; i++)
        {
            weeks[i] = WeekOf(last.Monday.AddDays(-7 * (count - 1 - i)));
        }

        return weeks;
    }
}
