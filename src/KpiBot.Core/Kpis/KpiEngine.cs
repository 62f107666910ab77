using KpiBot.Coaching;
using KpiBot.Domain;

namespace KpiBot.Kpis;

/// <summary>
/// The entry point of the KPI engine: pure functions from immutable records and a local "as of" day to immutable
/// reports. "As of D" means at the end of the team-local day D; only weeks whose Sunday is ≤ D are used.
/// </summary>
public static class KpiEngine
{
    /// <summary>Only the status (KPI 5) of one person — what the team overview and nudges need.</summary>
    public static StatusTrend ComputeStatus(Team team, PersonActivity activity, DateOnly asOf) =>
        StatusKpi.Compute(team, activity, asOf);

    /// <summary>
    /// Every KPI of one person. Pass <paramref name="teamConversion"/> (from <see cref="ComputeTeam"/> or
    /// <see cref="ComputeTeamConversion"/>) to find the person's bottleneck against the team's rates.
    /// </summary>
    public static PersonKpiReport ComputePerson(Team team, PersonActivity activity, DateOnly asOf, ConversionReport? teamConversion = null)
    {
        ArgumentNullException.ThrowIfNull(team);
        ArgumentNullException.ThrowIfNull(activity);
        var settings = team.Settings;
        var window = ConversionKpi.Window(settings, asOf);
        var start = window[0].Monday;
        var end = window[^1].Sunday;
        var status = StatusKpi.Compute(team, activity, asOf);
        var conversion = ConversionKpi.Compute(team, activity, asOf, teamConversion?.Rates);
        var pipeline = PipelineKpi.Compute(team, activity, asOf);
        var forecast = ForecastKpi.Compute(team, activity.Deals, asOf);
        var cycleValue = DealKpis.ValuePerCycleMonth(activity.Deals, start, end);
        var deals = DealKpis.Figures(activity.Deals, start, end);
        var coaching = CoachingRules.For(activity.Person.DisplayName, status, conversion, pipeline, forecast, deals, settings);
        return new PersonKpiReport(
            activity.Person.Id,
            activity.Person.DisplayName,
            asOf,
            settings.Currency,
            ActivityCalendar.FirstLoggedDay(activity),
            status,
            conversion,
            pipeline,
            forecast,
            cycleValue,
            deals,
            coaching);
    }

    /// <summary>The team's conversion: every person's phase totals (their own counted weeks) added up.</summary>
    public static ConversionReport ComputeTeamConversion(Team team, IReadOnlyList<PersonActivity> people, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(team);
        ArgumentNullException.ThrowIfNull(people);
        var window = ConversionKpi.Window(team.Settings, asOf);
        var counts = ConversionKpi.SumPhases(team.Metrics, people.Select(p => ConversionKpi.CountPhases(team.Metrics, p, window)));
        return ConversionKpi.FromCounts(counts, window[0].Monday, window[^1].Sunday, window.Count, null);
    }

    /// <summary>
    /// The team report: totals over everyone (summed main-statistic series, conversion, pipeline, forecast, value
    /// per cycle-month, deal figures) and every person's status sorted attention first.
    /// </summary>
    public static TeamKpiReport ComputeTeam(Team team, IReadOnlyList<PersonActivity> people, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(team);
        ArgumentNullException.ThrowIfNull(people);
        var settings = team.Settings;
        var trendWeeks = IsoWeeks.LastCompleteWeeks(asOf, StatusKpi.TrendWeeks(settings));
        var window = ConversionKpi.Window(settings, asOf);
        var start = window[0].Monday;
        var end = window[^1].Sunday;
        var main = WeeklySeries.MainStatistic(team.Metrics);

        var series = new List<IReadOnlyList<WeekValue>>(people.Count);
        var phaseCounts = new List<IReadOnlyList<PhaseCount>>(people.Count);
        // The trend and conversion windows both end with the last complete week; the earlier first week serves both.
        var earliest = trendWeeks[0].Monday <= window[0].Monday ? trendWeeks[0] : window[0];
        var firstDays = new DateOnly?[people.Count];
        for (var i = 0; i < people.Count; i++)
        {
            firstDays[i] = ActivityCalendar.StartFor(people[i], earliest);
            series.Add(WeeklySeries.For(main, people[i], trendWeeks, firstDays[i]));
            phaseCounts.Add(ConversionKpi.CountPhases(team.Metrics, people[i], window, firstDays[i]));
        }

        var teamCounts = ConversionKpi.SumPhases(team.Metrics, phaseCounts);
        var conversion = ConversionKpi.FromCounts(teamCounts, start, end, window.Count, null);
        var lines = new List<PersonStatusLine>(people.Count);
        for (var i = 0; i < people.Count; i++)
        {
            var person = people[i].Person;
            var status = StatusKpi.Classify(main.Key, series[i], settings.Status);
            var exclusions = ActivityCalendar.Exclusions(person, firstDays[i], window);
            var personConversion = ConversionKpi.FromCounts(phaseCounts[i], start, end, exclusions.Count(e => e is null), conversion.Rates);
            lines.Add(new PersonStatusLine(person.Id, person.DisplayName, status.State, status.RelativeSlopePerWeek, status.Points, status.LowConfidence, personConversion.Bottleneck?.Label, AttentionRank(status)));
        }

        // Attention first; within a rank the steepest decline first, then by name for a stable order.
        var sorted = lines
            .OrderBy(l => l.AttentionRank)
            .ThenBy(l => l.RelativeSlopePerWeek ?? 0)
            .ThenBy(l => l.DisplayName, StringComparer.CurrentCultureIgnoreCase)
            .ToArray();

        var allDeals = people.SelectMany(p => p.Deals).ToArray();
        var teamStatus = StatusKpi.Classify(main.Key, WeeklySeries.Sum(trendWeeks, series), settings.Status);
        var pipeline = PipelineKpi.Compute(team.Stages, people, trendWeeks);
        var forecast = ForecastKpi.Compute(team, allDeals, asOf);
        var deals = DealKpis.Figures(allDeals, start, end);
        var coaching = CoachingRules.For(team.Name, teamStatus, conversion, pipeline, forecast, deals, settings);
        return new TeamKpiReport(
            team.Id,
            team.Name,
            asOf,
            settings.Currency,
            MetricSetRules.Check(team.Metrics),
            teamStatus,
            conversion,
            pipeline,
            forecast,
            DealKpis.ValuePerCycleMonth(allDeals, start, end),
            deals,
            sorted,
            coaching);
    }

    /// <summary>0 Danger, 1 Crisis, 2 Normal with low confidence, 3 Normal, 4 not yet a statistic.</summary>
    public static int AttentionRank(StatusTrend status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return status.State switch
        {
            StatusState.Danger => 0,
            StatusState.Crisis => 1,
            StatusState.Normal when status.LowConfidence => 2,
            StatusState.Normal => 3,
            _ => 4,
        };
    }
}
