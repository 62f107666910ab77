using System.Text.Json.Serialization;
using KpiBot.Coaching;
using KpiBot.Statistics;

namespace KpiBot.Kpis;

/// <summary>A person's status on the main statistic's trend.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StatusState>))]
public enum StatusState
{
    /// <summary>Fewer than two weekly points: "not yet a statistic".</summary>
    NotYetAStatistic,
    /// <summary>Relative slope at or below the Danger threshold (default −10 %/week): sharp decline.</summary>
    Danger,
    /// <summary>Between the thresholds (default (−10 %, +1 %]): stagnation or slight decline.</summary>
    Crisis,
    /// <summary>Above the Normal threshold (default +1 %/week): gradual increase.</summary>
    Normal,
}

/// <summary>How a forecast period's deviation |A − F| ÷ F reads against the team's bands.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ForecastBand>))]
public enum ForecastBand
{
    /// <summary>No forecast: no deal open at the period start had an expected close inside it (F is never invented).</summary>
    NoForecast,
    /// <summary>Deviation ≤ the in-control band (default 15 %).</summary>
    InControl,
    /// <summary>Deviation above in-control, ≤ the watch band (default 25 %).</summary>
    Watch,
    /// <summary>Deviation above the watch band: lead qualification needs work.</summary>
    LeadQualification,
}

/// <summary>The activity the engine needs about one person: their entries and the deals they own.</summary>
/// <param name="Person">The person (their away periods leave weeks out).</param>
/// <param name="Entries">Their daily entries (any date range; the engine picks its windows).</param>
/// <param name="Deals">The deals they own.</param>
/// <param name="KnownFirstDay">
/// The person's first logged day when known from outside the given records (a store loads only the recent windows);
/// the engine takes the earlier of this and what <paramref name="Entries"/> and <paramref name="Deals"/> show.
/// </param>
public sealed record PersonActivity(KpiBot.Domain.Person Person, IReadOnlyList<KpiBot.Domain.DailyEntry> Entries, IReadOnlyList<KpiBot.Domain.Deal> Deals, DateOnly? KnownFirstDay = null);

/// <summary>One week of a weekly series.</summary>
/// <param name="Week">ISO label (<c>2026-W49</c>).</param>
/// <param name="Monday">First day of the week.</param>
/// <param name="Value">The week's total, or null when the week is left out.</param>
/// <param name="Excluded">Why the week is left out: <c>null</c> (counted), <c>"away"</c> (mostly away) or <c>"beforeStart"</c> (before the first logged day).</param>
public sealed record WeekValue(string Week, DateOnly Monday, double? Value, string? Excluded);

/// <summary>KPI 5: the status trend of one weekly series.</summary>
/// <param name="Metric">Key of the statistic (<c>revenue</c>).</param>
/// <param name="Weeks">Every week of the window, oldest first, including left-out weeks (Value null).</param>
/// <param name="Points">Weeks that count (not away, not before the first logged day).</param>
/// <param name="Mean">Mean of the counted weeks, or null with no points.</param>
/// <param name="SlopePerWeek">Theil–Sen slope in the statistic's unit per week, or null with fewer than two points.</param>
/// <param name="InterceptAtFirstWeek">Theil–Sen intercept at the window's first week (x = 0), for drawing the fitted line.</param>
/// <param name="RelativeSlopePerWeek">Slope ÷ |mean| as a fraction per week (−0.12 = −12 %/week); null when the mean is 0 or there is no slope.</param>
/// <param name="MannKendall">Mann–Kendall significance, or null with fewer than two points.</param>
/// <param name="OlsSlope">Least-squares slope t-test, or null when undefined (fewer than 3 points, a perfect fit).</param>
/// <param name="State">Normal, Crisis, Danger or NotYetAStatistic.</param>
/// <param name="LowConfidence">True for 2–5 points: classified but to be read with care.</param>
/// <param name="Explanation">One sentence on how the state was reached (names the rule, e.g. a zero mean).</param>
public sealed record StatusTrend(
    string Metric,
    IReadOnlyList<WeekValue> Weeks,
    int Points,
    double? Mean,
    double? SlopePerWeek,
    double? InterceptAtFirstWeek,
    double? RelativeSlopePerWeek,
    MannKendallResult? MannKendall,
    OlsSlopeResult? OlsSlope,
    StatusState State,
    bool LowConfidence,
    string Explanation);

/// <summary>One phase's total in a conversion window.</summary>
/// <param name="Metric">Metric key (<c>booked</c>).</param>
/// <param name="DisplayName">Metric name (<c>Meetings booked</c>).</param>
/// <param name="Phase">Sales phase, 0 first.</param>
/// <param name="Count">Σ entries in the window (for the won phase: deals won in the window).</param>
public sealed record PhaseCount(string Metric, string DisplayName, int Phase, decimal Count);

/// <summary>The conversion from one phase into the next.</summary>
/// <param name="From">Metric key of phase k.</param>
/// <param name="To">Metric key of phase k + 1.</param>
/// <param name="Label">Readable label, <c>booked → held</c>.</param>
/// <param name="Denominator">Σ phase k.</param>
/// <param name="Numerator">Σ phase k + 1.</param>
/// <param name="Rate">Numerator ÷ denominator (may exceed 1 when flagged); null when the denominator is 0.</param>
/// <param name="WilsonLow">95 % Wilson lower bound; null when the interval is not valid (denominator 0 or flagged).</param>
/// <param name="WilsonHigh">95 % Wilson upper bound; null when not valid.</param>
/// <param name="NumeratorExceedsDenominator">True when more reached phase k + 1 than phase k — shown, never clipped.</param>
/// <param name="TeamRate">The team's rate for the same step, when compared with a team.</param>
/// <param name="GapToTeam">Rate − team rate (negative = below the team); null without both rates.</param>
/// <param name="IsBottleneck">True for the step furthest below the team's rate.</param>
public sealed record PhaseRate(
    string From,
    string To,
    string Label,
    decimal Denominator,
    decimal Numerator,
    double? Rate,
    double? WilsonLow,
    double? WilsonHigh,
    bool NumeratorExceedsDenominator,
    double? TeamRate,
    double? GapToTeam,
    bool IsBottleneck);

/// <summary>KPI 1: conversion per phase over a window of complete weeks.</summary>
/// <param name="WindowStart">Monday of the first week in the window.</param>
/// <param name="WindowEnd">Sunday of the last complete week.</param>
/// <param name="WeeksCounted">Weeks that counted (away weeks and weeks before the first logged day are left out).</param>
/// <param name="Phases">Totals per phase, ordered by phase.</param>
/// <param name="Rates">One step per consecutive phase pair.</param>
/// <param name="Bottleneck">The step furthest below the team's rate (From key → To key label), or null when none is below the team.</param>
/// <param name="HasFlaggedSteps">True when any step's numerator exceeds its denominator.</param>
public sealed record ConversionReport(
    DateOnly WindowStart,
    DateOnly WindowEnd,
    int WeeksCounted,
    IReadOnlyList<PhaseCount> Phases,
    IReadOnlyList<PhaseRate> Rates,
    PhaseRate? Bottleneck,
    bool HasFlaggedSteps);

/// <summary>Open deals in one stage at the end of each week, with the stage's trend.</summary>
/// <param name="Stage">Stage key.</param>
/// <param name="DisplayName">Stage name.</param>
/// <param name="Order">0 = earliest stage.</param>
/// <param name="OpenAtWeekEnd">Open deals in this stage at the end of each week (same order as <see cref="PipelineReport.Weeks"/>).</param>
/// <param name="SlopePerWeek">Theil–Sen slope in deals per week.</param>
/// <param name="Shrinking">True when the robust slope is negative.</param>
public sealed record StagePipeline(string Stage, string DisplayName, int Order, IReadOnlyList<int> OpenAtWeekEnd, double? SlopePerWeek, bool Shrinking);

/// <summary>KPI 2: pipeline development per stage over complete weeks.</summary>
/// <param name="Weeks">ISO week labels, oldest first.</param>
/// <param name="Stages">One row per configured stage, earliest first.</param>
/// <param name="StageZeroShrinking">True when stage 0 is shrinking — it predicts weaker sales later.</param>
/// <param name="OpenValueAtLastWeek">Σ value of deals open at the end of the last week (snapshots carry no value).</param>
/// <param name="Source">Where the counts came from: deals, logged snapshots, or both (a team where some people track deals).</param>
public sealed record PipelineReport(IReadOnlyList<string> Weeks, IReadOnlyList<StagePipeline> Stages, bool StageZeroShrinking, decimal OpenValueAtLastWeek, PipelineSource Source = PipelineSource.Deals);

/// <summary>Where a pipeline's counts come from.</summary>
public enum PipelineSource
{
    /// <summary>Open deals and their stage histories.</summary>
    Deals,
    /// <summary>Pipeline snapshots the salespeople logged (<c>pipeline prospecting 12 qualified 5</c>).</summary>
    Snapshots,
    /// <summary>Some people's deals and other people's snapshots, added up.</summary>
    Mixed,
}

/// <summary>One closed forecast period.</summary>
/// <param name="Period">Label: <c>2026-11</c> for a month, <c>2026-Q3</c> for a quarter.</param>
/// <param name="Start">First day.</param>
/// <param name="End">Last day.</param>
/// <param name="DealsForecast">Deals open at the start with an expected close inside the period.</param>
/// <param name="Forecast">F = Σ value × stage probability (stage as at the start); null when no deal qualified.</param>
/// <param name="Actual">A = Σ value of deals won in the period.</param>
/// <param name="Deviation">|A − F| ÷ F as a fraction; null without a forecast.</param>
/// <param name="Band">Where the deviation falls in the team's bands.</param>
public sealed record ForecastPeriodResult(string Period, DateOnly Start, DateOnly End, int DealsForecast, decimal? Forecast, decimal Actual, double? Deviation, ForecastBand Band);

/// <summary>How a stage's configured probability compares with what actually happened.</summary>
/// <param name="Stage">Stage key.</param>
/// <param name="DisplayName">Stage name.</param>
/// <param name="ConfiguredProbability">The team's probability for the stage.</param>
/// <param name="ClosedDeals">Closed (won or lost) deals that were ever in this stage.</param>
/// <param name="WonDeals">Of those, the ones won.</param>
/// <param name="WonShare">WonDeals ÷ ClosedDeals; null with no closed deals.</param>
public sealed record StageCalibration(string Stage, string DisplayName, double ConfiguredProbability, int ClosedDeals, int WonDeals, double? WonShare);

/// <summary>KPI 3: weighted-pipeline accuracy per closed period, plus per-stage calibration.</summary>
/// <param name="PeriodKind">Month or Quarter (from the team settings).</param>
/// <param name="Periods">Closed periods, oldest first.</param>
/// <param name="Latest">The most recent closed period that has a forecast, or null.</param>
/// <param name="Calibration">Per stage, earliest first.</param>
/// <param name="HasExpectedCloseDates">False when no deal carries an expected close — then no forecast exists at all.</param>
/// <param name="Note">Why there is no forecast, when there is none; otherwise null.</param>
public sealed record ForecastReport(
    [property: JsonConverter(typeof(JsonStringEnumConverter<KpiBot.Domain.ForecastPeriod>))] KpiBot.Domain.ForecastPeriod PeriodKind,
    IReadOnlyList<ForecastPeriodResult> Periods,
    ForecastPeriodResult? Latest,
    IReadOnlyList<StageCalibration> Calibration,
    bool HasExpectedCloseDates,
    string? Note);

/// <summary>KPI 4: deal value per sales-cycle month for deals won in the window.</summary>
/// <param name="WindowStart">First day of the window.</param>
/// <param name="WindowEnd">Last day of the window.</param>
/// <param name="DealsWon">Deals won in the window.</param>
/// <param name="WonValue">Σ value.</param>
/// <param name="CycleDays">Σ cycle days (each close − start, at least 1).</param>
/// <param name="CycleMonths">CycleDays ÷ 30.44.</param>
/// <param name="ValuePerCycleMonth">WonValue ÷ CycleMonths; null with no deals won.</param>
public sealed record CycleValueReport(DateOnly WindowStart, DateOnly WindowEnd, int DealsWon, decimal WonValue, int CycleDays, double CycleMonths, decimal? ValuePerCycleMonth);

/// <summary>Deal figures for deals closed in the window.</summary>
/// <param name="Won">Deals won in the window.</param>
/// <param name="Lost">Deals lost in the window.</param>
/// <param name="OpenAtEnd">Deals open at the window's end.</param>
/// <param name="CloseRate">Won ÷ (won + lost); null when nothing closed.</param>
/// <param name="WonValue">Σ value of won deals.</param>
/// <param name="AverageWonValue">WonValue ÷ Won; null with no wins.</param>
/// <param name="AverageCycleDays">Mean cycle (close − start, at least 1 day) of won deals; null with no wins.</param>
public sealed record DealFigures(int Won, int Lost, int OpenAtEnd, double? CloseRate, decimal WonValue, decimal? AverageWonValue, double? AverageCycleDays);

/// <summary>Whether a team's statistics stay inside the method's bounds (6–12 total: 1–2 main, 3–6 sub, 2–4 key).</summary>
/// <param name="Total">All statistics.</param>
/// <param name="Main">Main statistics.</param>
/// <param name="Sub">Sub-statistics.</param>
/// <param name="Key">Key statistics.</param>
/// <param name="WithinBounds">True when every count is inside its bounds.</param>
/// <param name="Warnings">One sentence per violated bound, saying what to change.</param>
public sealed record MetricSetCheck(int Total, int Main, int Sub, int Key, bool WithinBounds, IReadOnlyList<string> Warnings);

/// <summary>Everything the engine computes for one person as of one local day.</summary>
/// <param name="PersonId">Person id.</param>
/// <param name="DisplayName">Person name.</param>
/// <param name="AsOf">The local day the report is computed at the end of.</param>
/// <param name="Currency">The team's currency code for every money figure.</param>
/// <param name="FirstLoggedDay">The person's first entry or deal activity; null when there is none.</param>
/// <param name="Status">KPI 5 on the main statistic.</param>
/// <param name="Conversion">KPI 1, compared with the team's rates when given.</param>
/// <param name="Pipeline">KPI 2.</param>
/// <param name="Forecast">KPI 3.</param>
/// <param name="CycleValue">KPI 4.</param>
/// <param name="Deals">Deal figures in the conversion window.</param>
/// <param name="Coaching">Suggestions, most urgent first, each quoting its numbers.</param>
public sealed record PersonKpiReport(
    string PersonId,
    string DisplayName,
    DateOnly AsOf,
    string Currency,
    DateOnly? FirstLoggedDay,
    StatusTrend Status,
    ConversionReport Conversion,
    PipelineReport Pipeline,
    ForecastReport Forecast,
    CycleValueReport CycleValue,
    DealFigures Deals,
    IReadOnlyList<CoachingSuggestion> Coaching);

/// <summary>One line of the team overview.</summary>
/// <param name="PersonId">Person id.</param>
/// <param name="DisplayName">Person name.</param>
/// <param name="State">Status state.</param>
/// <param name="RelativeSlopePerWeek">Fraction per week, or null.</param>
/// <param name="Points">Weekly points behind the state.</param>
/// <param name="LowConfidence">2–5 points.</param>
/// <param name="Bottleneck">The person's bottleneck step label (<c>booked → held</c>), or null.</param>
/// <param name="AttentionRank">0 Danger, 1 Crisis, 2 low-confidence Normal, 3 Normal, 4 not yet a statistic; the overview sorts by it.</param>
public sealed record PersonStatusLine(string PersonId, string DisplayName, StatusState State, double? RelativeSlopePerWeek, int Points, bool LowConfidence, string? Bottleneck, int AttentionRank);

/// <summary>Everything the engine computes for a team as of one local day.</summary>
/// <param name="TeamId">Team id.</param>
/// <param name="TeamName">Team name.</param>
/// <param name="AsOf">The local day the report is computed at the end of.</param>
/// <param name="Currency">The team's currency code.</param>
/// <param name="MetricSet">The statistics-set bounds check.</param>
/// <param name="Status">KPI 5 on the team's summed main-statistic series.</param>
/// <param name="Conversion">KPI 1 over the whole team (no bottleneck: the team is its own reference).</param>
/// <param name="Pipeline">KPI 2 over all the team's deals.</param>
/// <param name="Forecast">KPI 3 over all the team's deals.</param>
/// <param name="CycleValue">KPI 4 over all the team's deals.</param>
/// <param name="Deals">Deal figures over all the team's deals.</param>
/// <param name="People">Every person's status, attention first (Danger, Crisis, low confidence, Normal, not yet a statistic).</param>
/// <param name="Coaching">Team-level suggestions.</param>
public sealed record TeamKpiReport(
    string TeamId,
    string TeamName,
    DateOnly AsOf,
    string Currency,
    MetricSetCheck MetricSet,
    StatusTrend Status,
    ConversionReport Conversion,
    PipelineReport Pipeline,
    ForecastReport Forecast,
    CycleValueReport CycleValue,
    DealFigures Deals,
    IReadOnlyList<PersonStatusLine> People,
    IReadOnlyList<CoachingSuggestion> Coaching);
