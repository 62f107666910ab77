using KpiBot.Domain;
using KpiBot.Statistics;

namespace KpiBot.Kpis;

/// <summary>
/// KPI 2: open deals per stage at the end of each complete week, the stage taken from each deal's history, with a
/// Theil–Sen trend per stage. A stage is "shrinking" when its robust slope is below zero.
/// </summary>
public static class PipelineKpi
{
    /// <summary>The pipeline of <paramref name="deals"/> over <paramref name="weeks"/> for the configured <paramref name="stages"/>.</summary>
    public static PipelineReport Compute(IReadOnlyList<StageDefinition> stages, IEnumerable<Deal> deals, IReadOnlyList<IsoWeek> weeks)
    {
        ArgumentNullException.ThrowIfNull(stages);
        ArgumentNullException.ThrowIfNull(deals);
        ArgumentNullException.ThrowIfNull(weeks);
        var ordered = stages.OrderBy(s => s.Order).ToArray();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var s = 0; s < ordered.Length; s++)
        {
            index[ordered[s].Key] = s;
        }

        var counts = new int[ordered.Length, weeks.Count];
        decimal openValue = 0;
        var lastSunday = weeks.Count > 0 ? weeks[^1].Sunday : default;
        var firstSunday = weeks.Count > 0 ? weeks[0].Sunday : default;
        foreach (var deal in deals)
        {
            // Most of two years of deals started after the window or closed before it: skip them cheaply.
            if (weeks.Count == 0 || deal.StartDate > lastSunday || (deal.Outcome != DealOutcome.Open && deal.CloseDate is { } closed && closed <= firstSunday))
            {
                continue;
            }

            for (var w = 0; w < weeks.Count; w++)
            {
                var sunday = weeks[w].Sunday;
                if (!deal.IsOpenOn(sunday))
                {
                    continue;
                }

                if (deal.StageOn(sunday) is { } stage && index.TryGetValue(stage, out var s))
                {
                    counts[s, w]++;
                }
            }

            if (deal.IsOpenOn(lastSunday))
            {
                openValue += deal.Value;
            }
        }

        var rows = new StagePipeline[ordered.Length];
        for (var s = 0; s < ordered.Length; s++)
        {
            var series = new int[weeks.Count];
            var values = new double[weeks.Count];
            for (var w = 0; w < weeks.Count; w++)
            {
                series[w] = counts[s, w];
                values[w] = counts[s, w];
            }

            var slope = TheilSen.Fit(values)?.Slope;
            rows[s] = new StagePipeline(ordered[s].Key, ordered[s].DisplayName, ordered[s].Order, series, slope, slope < 0);
        }

        return new PipelineReport([.. weeks.Select(w => w.Label)], rows, rows.Length > 0 && rows[0].Shrinking, openValue);
    }

    /// <summary>The pipeline over the team's trend window as of <paramref name="asOf"/>.</summary>
    public static PipelineReport Compute(Team team, IEnumerable<Deal> deals, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(team);
        return Compute(team.Stages, deals, IsoWeeks.LastCompleteWeeks(asOf, StatusKpi.TrendWeeks(team.Settings)));
    }
}
