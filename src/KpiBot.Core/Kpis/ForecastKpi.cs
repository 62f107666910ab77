using System.Globalization;
using KpiBot.Domain;

namespace KpiBot.Kpis;

/// <summary>
/// KPI 3: weighted-pipeline accuracy. For each closed period: F = Σ value × stage probability over the deals open at
/// the period's start (end of the day before) whose expected close lies inside the period, the stage being the one
/// the deal was in at that moment; A = Σ value of deals won in the period; deviation = |A − F| ÷ F.
/// </summary>
public static class ForecastKpi
{
    /// <summary>Closed periods shown by default: six months or four quarters.</summary>
    public static int DefaultPeriodCount(ForecastPeriod kind) => kind == ForecastPeriod.Quarter ? 4 : 6;

    /// <summary>The last <paramref name="count"/> periods that have ended on or before <paramref name="asOf"/>, oldest first.</summary>
    public static IReadOnlyList<(string Label, DateOnly Start, DateOnly End)> ClosedPeriods(ForecastPeriod kind, DateOnly asOf, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var months = kind == ForecastPeriod.Quarter ? 3 : 1;
        var firstMonth = kind == ForecastPeriod.Quarter ? (((asOf.Month - 1) / 3) * 3) + 1 : asOf.Month;
        var currentStart = new DateOnly(asOf.Year, firstMonth, 1);
        // The period containing asOf is closed only when asOf is its last day.
        var end = currentStart.AddMonths(months).AddDays(-1) == asOf ? currentStart.AddMonths(months) : currentStart;
        var result = new (string, DateOnly, DateOnly)[count];
        for (var i = count - 1; i >= 0; i--)
        {
            var start = end.AddMonths(-months);
            var label = kind == ForecastPeriod.Quarter
                ? string.Create(CultureInfo.InvariantCulture, $"{start.Year:D4}-Q{((start.Month - 1) / 3) + 1}")
                : string.Create(CultureInfo.InvariantCulture, $"{start.Year:D4}-{start.Month:D2}");
            result[i] = (label, start, end.AddDays(-1));
            end = start;
        }

        return result;
    }

    /// <summary>The band a deviation falls in: ≤ in-control, ≤ watch, else lead qualification.</summary>
    public static ForecastBand BandOf(double deviation, ForecastBands bands)
    {
        ArgumentNullException.ThrowIfNull(bands);
        return deviation <= bands.InControlAtOrBelow ? ForecastBand.InControl
            : deviation <= bands.WatchAtOrBelow ? ForecastBand.Watch
            : ForecastBand.LeadQualification;
    }

    /// <summary>Forecast accuracy per closed period and per-stage calibration for <paramref name="deals"/>.</summary>
    public static ForecastReport Compute(
        IReadOnlyList<StageDefinition> stages,
        ForecastPeriod kind,
        ForecastBands bands,
        IReadOnlyList<Deal> deals,
        DateOnly asOf,
        int? periodCount = null)
    {
        ArgumentNullException.ThrowIfNull(stages);
        ArgumentNullException.ThrowIfNull(bands);
        ArgumentNullException.ThrowIfNull(deals);
        var probability = stages.ToDictionary(s => s.Key, s => s.Probability, StringComparer.Ordinal);
        var periods = ClosedPeriods(kind, asOf, periodCount ?? DefaultPeriodCount(kind));
        var hasExpectedClose = false;
        foreach (var deal in deals)
        {
            if (deal.ExpectedClose is not null)
            {
                hasExpectedClose = true;
                break;
            }
        }

        // One pass over the deals: each deal lands in at most one period by its close (A) and one by its expected close (F).
        var forecast = new decimal[periods.Count];
        var inForecast = new int[periods.Count];
        var actual = new decimal[periods.Count];
        var first = periods[0].Start;
        var last = periods[^1].End;
        foreach (var deal in deals)
        {
            if (deal.Outcome == DealOutcome.Won && deal.CloseDate is { } close && close >= first && close <= last)
            {
                actual[PeriodIndex(periods, close)] += deal.Value;
            }

            if (deal.ExpectedClose is { } expected && expected >= first && expected <= last)
            {
                var p = PeriodIndex(periods, expected);
                var before = periods[p].Start.AddDays(-1);
                if (deal.IsOpenOn(before))
                {
                    inForecast[p]++;
                    if (deal.StageOn(before) is { } stage && probability.TryGetValue(stage, out var weight))
                    {
                        forecast[p] += deal.Value * (decimal)weight;
                    }
                }
            }
        }

        var results = new List<ForecastPeriodResult>(periods.Count);
        for (var p = 0; p < periods.Count; p++)
        {
            decimal? f = inForecast[p] > 0 ? forecast[p] : null;
            double? deviation = f is > 0 ? (double)(Math.Abs(actual[p] - f.Value) / f.Value) : null;
            var band = deviation is { } d ? BandOf(d, bands) : ForecastBand.NoForecast;
            results.Add(new ForecastPeriodResult(periods[p].Label, periods[p].Start, periods[p].End, inForecast[p], f, actual[p], deviation, band));
        }

        var latest = results.LastOrDefault(r => r.Band != ForecastBand.NoForecast);
        string? note = null;
        if (!hasExpectedClose)
        {
            note = "No deal has an expected close date (CRM data without one, or deals logged without 'close'), so no weighted forecast can be computed. Add one, e.g. 'deal Acme 250k stage proposal close 2027-01-31'.";
        }
        else if (latest is null)
        {
            note = string.Create(CultureInfo.InvariantCulture, $"No deal open at the start of the last {results.Count} periods had an expected close inside that period, so there is no forecast to compare with.");
        }

        return new ForecastReport(kind, results, latest, Calibrate(stages, deals), hasExpectedClose, note);
    }

    private static int PeriodIndex(IReadOnlyList<(string Label, DateOnly Start, DateOnly End)> periods, DateOnly date)
    {
        for (var p = 0; p < periods.Count; p++)
        {
            if (date <= periods[p].End)
            {
                return p;
            }
        }

        return periods.Count - 1;
    }

    /// <summary>The forecast for a team's settings and stages.</summary>
    public static ForecastReport Compute(Team team, IReadOnlyList<Deal> deals, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(team);
        return Compute(team.Stages, team.Settings.ForecastPeriod, team.Settings.Forecast, deals, asOf);
    }

    /// <summary>
    /// Per stage: of the closed deals that were ever in the stage (from their history), the share that was won —
    /// to set against the probability the team gave the stage.
    /// </summary>
    public static IReadOnlyList<StageCalibration> Calibrate(IReadOnlyList<StageDefinition> stages, IReadOnlyList<Deal> deals)
    {
        ArgumentNullException.ThrowIfNull(stages);
        ArgumentNullException.ThrowIfNull(deals);
        var ordered = stages.OrderBy(s => s.Order).ToArray();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var s = 0; s < ordered.Length; s++)
        {
            index[ordered[s].Key] = s;
        }

        var closed = new int[ordered.Length];
        var won = new int[ordered.Length];
        Span<bool> seen = ordered.Length <= 64 ? stackalloc bool[ordered.Length] : new bool[ordered.Length];
        foreach (var deal in deals)
        {
            if (deal.Outcome == DealOutcome.Open)
            {
                continue;
            }

            seen.Clear();
            if (index.TryGetValue(deal.Stage, out var current))
            {
                seen[current] = true;
            }

            for (var h = 0; h < deal.History.Count; h++)
            {
                if (index.TryGetValue(deal.History[h].Stage, out var s))
                {
                    seen[s] = true;
                }
            }

            for (var s = 0; s < ordered.Length; s++)
            {
                if (seen[s])
                {
                    closed[s]++;
                    if (deal.Outcome == DealOutcome.Won)
                    {
                        won[s]++;
                    }
                }
            }
        }

        return [.. ordered.Select((s, i) => new StageCalibration(s.Key, s.DisplayName, s.Probability, closed[i], won[i], closed[i] > 0 ? won[i] / (double)closed[i] : null))];
    }
}
