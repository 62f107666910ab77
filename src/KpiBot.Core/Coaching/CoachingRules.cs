using System.Globalization;
using KpiBot.Domain;
using KpiBot.Kpis;

namespace KpiBot.Coaching;

/// <summary>
/// The coaching rules of the method: one suggestion by state, one per weak phase, plus pipeline and forecast
/// rules. Every suggestion quotes the numbers that triggered it so a manager can check it, not just trust it.
/// </summary>
public static class CoachingRules
{
    /// <summary>Early-stage open deals (stage order 0–1) at or above which "few wins" is judged.</summary>
    public const int ManyEarlyLeads = 5;

    /// <summary>"Few wins": fewer than one deal won in the window per this many early-stage open deals.</summary>
    public const int EarlyLeadsPerWin = 5;

    /// <summary>The suggestions for a set of KPIs, most urgent first.</summary>
    /// <param name="subject">Who the advice is about ("Anna", "the team"), used in the evidence.</param>
    /// <param name="status">KPI 5.</param>
    /// <param name="conversion">KPI 1 (its bottleneck drives the phase rule).</param>
    /// <param name="pipeline">KPI 2.</param>
    /// <param name="forecast">KPI 3.</param>
    /// <param name="deals">Deal figures in the conversion window.</param>
    /// <param name="settings">The team's thresholds and currency.</param>
    public static IReadOnlyList<CoachingSuggestion> For(
        string subject,
        StatusTrend status,
        ConversionReport conversion,
        PipelineReport pipeline,
        ForecastReport forecast,
        DealFigures deals,
        TeamSettings settings)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(conversion);
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(forecast);
        ArgumentNullException.ThrowIfNull(deals);
        ArgumentNullException.ThrowIfNull(settings);
        var list = new List<CoachingSuggestion>();
        var trend = TrendEvidence(subject, status, settings.Currency);
        switch (status.State)
        {
            case StatusState.Danger:
                list.Add(new("state.danger", "Intervene now: a daily check-in, joint calls on the open deals and a pipeline review this week.", trend, CoachingUrgency.Intervene));
                break;
            case StatusState.Crisis:
                var weakest = conversion.Bottleneck?.Label ?? WeakestStep(conversion)?.Label;
                var plan = weakest is null ? "an activity plan for the weakest phase" : $"an activity plan for the weakest phase ({weakest})";
                list.Add(new("state.crisis", $"Give structured support: a weekly one-to-one and {plan}.", trend, CoachingUrgency.Support));
                break;
            case StatusState.Normal:
                list.Add(new("state.normal", "Keep the freedom and reinforce what works: ask what drove the growth and keep doing it.", trend, CoachingUrgency.Reinforce));
                break;
            default:
                break;
        }

        if (conversion.Bottleneck is { } bottleneck)
        {
            list.Add(new($"bottleneck.{bottleneck.From}-{bottleneck.To}", BottleneckAdvice(conversion, bottleneck), RateEvidence(bottleneck), CoachingUrgency.Support));
        }

        foreach (var flagged in conversion.Rates.Where(r => r.NumeratorExceedsDenominator))
        {
            list.Add(new(
                $"data.flagged.{flagged.From}-{flagged.To}",
                $"Check the logged numbers: more {flagged.To} than {flagged.From} cannot come from this funnel (a missed log, or a metric logged under the wrong name).",
                string.Create(CultureInfo.InvariantCulture, $"{flagged.To} {flagged.Numerator:0.##} vs {flagged.From} {flagged.Denominator:0.##} in {Window(conversion)}."),
                CoachingUrgency.Support));
        }

        var early = pipeline.Stages.Where(s => s.Order <= 1).Sum(s => s.OpenAtWeekEnd.Count > 0 ? s.OpenAtWeekEnd[^1] : 0);
        if (early >= ManyEarlyLeads && deals.Won * EarlyLeadsPerWin < early)
        {
            list.Add(new(
                "pipeline.early-but-few-wins",
                "Many early-stage leads but few wins: plan sales technique training (discovery, objection handling, asking for the order).",
                string.Create(CultureInfo.InvariantCulture, $"{early} open deals in the first two stages at the end of {pipeline.Weeks[^1]}, but {deals.Won} won in {Window(conversion)}."),
                CoachingUrgency.Support));
        }

        if (pipeline.StageZeroShrinking && pipeline.Stages.Count > 0)
        {
            var stage0 = pipeline.Stages[0];
            list.Add(new(
                "pipeline.stage0-shrinking",
                $"Protect prospecting time: {stage0.DisplayName} is shrinking, which predicts weaker sales in the coming months.",
                string.Create(CultureInfo.InvariantCulture, $"{stage0.DisplayName}: {stage0.OpenAtWeekEnd[0]} → {stage0.OpenAtWeekEnd[^1]} open deals over {stage0.OpenAtWeekEnd.Count} weeks ({stage0.SlopePerWeek:+0.##;-0.##}/week, Theil–Sen)."),
                CoachingUrgency.Support));
        }

        if (forecast.Latest is { Deviation: { } deviation, Forecast: { } f } latest && deviation > settings.Forecast.WatchAtOrBelow)
        {
            list.Add(new(
                "forecast.deviation",
                "Work on lead qualification: the weighted pipeline does not predict what is won. Review stage criteria and expected close dates.",
                string.Create(CultureInfo.InvariantCulture, $"{latest.Period}: forecast {Money(f, settings.Currency)}, actual {Money(latest.Actual, settings.Currency)}, deviation {deviation * 100:0.#} % (> {settings.Forecast.WatchAtOrBelow * 100:0.#} %)."),
                CoachingUrgency.Support));
        }

        return [.. list.OrderByDescending(s => s.Urgency)];
    }

    /// <summary>A money amount in invariant culture with the currency code: <c>120,000 SEK</c>.</summary>
    public static string Money(decimal amount, string currency) =>
        amount.ToString("#,0.##", CultureInfo.InvariantCulture) + " " + currency;

    private static PhaseRate? WeakestStep(ConversionReport conversion) =>
        conversion.Rates.Where(r => r.Rate is not null && !r.NumeratorExceedsDenominator).OrderBy(r => r.Rate).FirstOrDefault();

    private static string BottleneckAdvice(ConversionReport conversion, PhaseRate step)
    {
        var phase = conversion.Phases.FirstOrDefault(p => p.Metric == step.From)?.Phase;
        return phase switch
        {
            0 => $"Work on pre-meeting preparation and confirmations: too few booked meetings are held ({step.Label}).",
            1 => $"Work on qualification and needs analysis: too few held meetings become qualified leads ({step.Label}).",
            2 => $"Turn qualified needs into proposals: agree next steps and a proposal date in the qualifying meeting ({step.Label}).",
            3 => $"Work on closing technique: too few proposals are won ({step.Label}).",
            _ => $"Work on the weakest step of the funnel: {step.Label}.",
        };
    }

    private static string RateEvidence(PhaseRate step)
    {
        var interval = step.WilsonLow is { } low && step.WilsonHigh is { } high
            ? string.Create(CultureInfo.InvariantCulture, $", 95 % interval {low * 100:0}–{high * 100:0} %")
            : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"{step.Label}: {step.Rate * 100:0} % ({step.Numerator:0.##} of {step.Denominator:0.##}{interval}) vs the team's {step.TeamRate * 100:0} %.");
    }

    private static string TrendEvidence(string subject, StatusTrend status, string currency)
    {
        var significance = status.MannKendall is { } mk ? string.Create(CultureInfo.InvariantCulture, $", Mann–Kendall p = {mk.PValue:0.00}") : string.Empty;
        var slope = status.RelativeSlopePerWeek is { } rel
            ? string.Create(CultureInfo.InvariantCulture, $"{rel * 100:+0.0;-0.0;0.0} %/week")
            : string.Create(CultureInfo.InvariantCulture, $"{status.SlopePerWeek:+0.##;-0.##;0} {currency}/week from a mean of 0");
        var confidence = status.LowConfidence ? " (low confidence)" : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"{subject}: {status.Metric} {slope} over {status.Points} weeks (Theil–Sen{significance}){confidence}.");
    }

    private static string Window(ConversionReport conversion) =>
        string.Create(CultureInfo.InvariantCulture, $"{conversion.WindowStart:yyyy-MM-dd}–{conversion.WindowEnd:yyyy-MM-dd}");
}
