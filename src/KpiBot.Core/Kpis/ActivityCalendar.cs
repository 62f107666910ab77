using KpiBot.Domain;

namespace KpiBot.Kpis;

/// <summary>
/// Which weeks of a window count for a person: a series starts at the person's first logged day, and a week that
/// is fully or mostly away is left out (not zero). "Mostly" means at least 3 of the week's 5 working days
/// (Monday–Friday) are away — a long weekend off does not erase a week, a week of holiday does.
/// </summary>
public static class ActivityCalendar
{
    /// <summary>Why a week is left out: the person was away for most of it.</summary>
    public const string Away = "away";

    /// <summary>Why a week is left out: it ended before the person's first logged day.</summary>
    public const string BeforeStart = "beforeStart";

    /// <summary>Working days away (of 5) at which a week counts as "mostly away".</summary>
    public const int AwayWorkingDaysToLeaveOut = 3;

    /// <summary>The person's first logged day: their earliest entry or deal activity (start, stage change or close), or <see cref="PersonActivity.KnownFirstDay"/> when earlier; null when there is none.</summary>
    public static DateOnly? FirstLoggedDay(PersonActivity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return Earliest(activity, enough: DateOnly.MinValue);
    }

    /// <summary>
    /// The first logged day as far as a window starting with <paramref name="firstWeek"/> needs it: exact when it lies
    /// after that week's Sunday; otherwise some activity day on or before it (every week of the window then counts).
    /// Stops at the first such activity, so a person with two years of history costs one look, not thousands.
    /// <see cref="PersonActivity.KnownFirstDay"/> counts as activity, as in <see cref="FirstLoggedDay"/>.
    /// </summary>
    public static DateOnly? StartFor(PersonActivity activity, IsoWeek firstWeek)
    {
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentNullException.ThrowIfNull(firstWeek);
        return Earliest(activity, enough: firstWeek.Sunday);
    }

    /// <summary>
    /// The earliest activity day, scanning until one on or before <paramref name="enough"/> is found
    /// (<see cref="DateOnly.MinValue"/>: scan everything). Index loops: the lists arrive as IReadOnlyList and
    /// this runs for every person of a team.
    /// </summary>
    private static DateOnly? Earliest(PersonActivity activity, DateOnly enough)
    {
        var first = activity.KnownFirstDay ?? DateOnly.MaxValue;
        var deals = activity.Deals;
        for (var d = 0; d < deals.Count && first > enough; d++)
        {
            var deal = deals[d];
            if (deal.StartDate < first)
            {
                first = deal.StartDate;
            }

            for (var h = 0; h < deal.History.Count; h++)
            {
                if (deal.History[h].Date < first)
                {
                    first = deal.History[h].Date;
                }
            }

            if (deal.CloseDate is { } close && close < first)
            {
                first = close;
            }
        }

        var entries = activity.Entries;
        for (var i = 0; i < entries.Count && first > enough; i++)
        {
            if (entries[i].Date < first)
            {
                first = entries[i].Date;
            }
        }

        return first == DateOnly.MaxValue ? null : first;
    }

    /// <summary>True when <paramref name="person"/> was away on at least 3 of the week's 5 working days.</summary>
    public static bool IsMostlyAway(Person person, IsoWeek week)
    {
        ArgumentNullException.ThrowIfNull(person);
        ArgumentNullException.ThrowIfNull(week);
        if (person.Away.Count == 0)
        {
            return false;
        }

        var awayDays = 0;
        for (var day = 0; day < 5; day++)
        {
            // Same test as Person.IsAwayOn, without a LINQ closure per day (this runs for every person and week).
            var date = week.Monday.AddDays(day);
            for (var a = 0; a < person.Away.Count; a++)
            {
                if (person.Away[a].Contains(date))
                {
                    awayDays++;
                    break;
                }
            }
        }

        return awayDays >= AwayWorkingDaysToLeaveOut;
    }

    /// <summary>
    /// For each week: null when it counts, <see cref="BeforeStart"/> when it ended before
    /// <paramref name="firstLoggedDay"/> (every week when there is none), or <see cref="Away"/>.
    /// </summary>
    public static string?[] Exclusions(Person person, DateOnly? firstLoggedDay, IReadOnlyList<IsoWeek> weeks)
    {
        ArgumentNullException.ThrowIfNull(weeks);
        var result = new string?[weeks.Count];
        for (var i = 0; i < weeks.Count; i++)
        {
            if (firstLoggedDay is null || weeks[i].Sunday < firstLoggedDay)
            {
                result[i] = BeforeStart;
            }
            else if (IsMostlyAway(person, weeks[i]))
            {
                result[i] = Away;
            }
        }

        return result;
    }

    /// <summary>The index of the week containing <paramref name="date"/> in consecutive <paramref name="weeks"/>, or −1.</summary>
    internal static int IndexOf(IReadOnlyList<IsoWeek> weeks, DateOnly date)
    {
        if (weeks.Count == 0 || date < weeks[0].Monday || date > weeks[^1].Sunday)
        {
            return -1;
        }

        return (date.DayNumber - weeks[0].Monday.DayNumber) / 7;
    }
}
