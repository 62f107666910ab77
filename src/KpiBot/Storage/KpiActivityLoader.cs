using KpiBot.Domain;
using KpiBot.Kpis;

namespace KpiBot.Storage;

/// <summary>
/// Loads from the store exactly what the KPI engine needs for some people as of a local day: entries of
/// the trend and conversion windows, deals still relevant to the pipeline and forecast periods, and each
/// person's true first logged day (so a series does not appear to start at the window's edge).
/// </summary>
public static class KpiActivityLoader
{
    /// <summary>Forecast periods reach back this many months (six months, or four quarters = twelve).</summary>
    private const int ForecastMonthsBack = 13;

    /// <summary>The activity of each person in <paramref name="people"/>, in the same order.</summary>
    public static IReadOnlyList<PersonActivity> Load(IKpiStore store, Team team, IReadOnlyList<Person> people, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(team);
        ArgumentNullException.ThrowIfNull(people);
        if (people.Count == 0)
        {
            return [];
        }
        var weeksBack = Math.Max(team.Settings.TrendWeeks, team.Settings.ConversionWeeks) + 1;
        var entriesFrom = asOf.AddDays(-7 * weeksBack);
        var dealsClosedFrom = new DateOnly(asOf.Year, asOf.Month, 1).AddMonths(-ForecastMonthsBack);
        var ids = people.Select(p => p.Id).ToArray();

        var entries = store.GetEntries(team.WorkspaceId, ids, entriesFrom, asOf).ToLookup(e => e.PersonId, StringComparer.Ordinal);
        var deals = store.GetDeals(team.WorkspaceId, ids, dealsClosedFrom).ToLookup(d => d.OwnerId, StringComparer.Ordinal);
        var firstDays = store.FirstActivityDates(team.WorkspaceId, ids);
        var result = new PersonActivity[people.Count];
        for (var i = 0; i < people.Count; i++)
        {
            var person = people[i];
            result[i] = new PersonActivity(
                person,
                entries[person.Id].ToArray(),
                deals[person.Id].ToArray(),
                firstDays[person.Id]);
        }
        return result;
    }
}
