namespace KpiBot.Domain;

/// <summary>The status thresholds on the main statistic's relative Theil–Sen slope, in fraction per week.</summary>
/// <param name="DangerAtOrBelow">Danger when the relative slope is at or below this (default −0.10 = −10 %/week).</param>
/// <param name="NormalAbove">Normal when the relative slope is above this (default +0.01 = +1 %/week); Crisis in between.</param>
public sealed record StatusThresholds(double DangerAtOrBelow, double NormalAbove)
{
    /// <summary>The documented defaults: Danger ≤ −10 %/week, Normal &gt; +1 %/week.</summary>
    public static StatusThresholds Default { get; } = new(-0.10, 0.01);
}

/// <summary>Forecast deviation bands |A − F| ÷ F.</summary>
/// <param name="InControlAtOrBelow">Default 0.15.</param>
/// <param name="WatchAtOrBelow">Default 0.25; above it lead qualification needs work.</param>
public sealed record ForecastBands(double InControlAtOrBelow, double WatchAtOrBelow)
{
    /// <summary>The documented defaults: ≤ 15 % in control, ≤ 25 % watch.</summary>
    public static ForecastBands Default { get; } = new(0.15, 0.25);
}

/// <summary>How a team's forecast periods are cut.</summary>
public enum ForecastPeriod
{
    /// <summary>Calendar months (the default).</summary>
    Month,
    /// <summary>Calendar quarters.</summary>
    Quarter,
}

/// <summary>Everything an admin can tune per team. Every threshold is documented in docs/kpis.md.</summary>
/// <param name="TimeZoneId">IANA zone; weeks are ISO weeks in this zone.</param>
/// <param name="Currency">ISO 4217 code of money amounts.</param>
/// <param name="TrendWeeks">Complete weeks in a status trend (default 8, allowed 6–12).</param>
/// <param name="ConversionWeeks">Complete weeks in the conversion window (default 8).</param>
/// <param name="MaxDailyCount">Largest count accepted for one metric on one day; above it the entry is refused as absurd.</param>
/// <param name="ReminderWorkingDays">A person who has not logged for this many working days gets a gentle reminder (default 2).</param>
public sealed record TeamSettings(
    string TimeZoneId,
    string Currency,
    int TrendWeeks,
    int ConversionWeeks,
    StatusThresholds Status,
    ForecastBands Forecast,
    ForecastPeriod ForecastPeriod,
    int MaxDailyCount,
    int ReminderWorkingDays)
{
    /// <summary>The defaults of a new team.</summary>
    public static TeamSettings Default { get; } = new(
        TimeZoneId: "Europe/Stockholm",
        Currency: "SEK",
        TrendWeeks: 8,
        ConversionWeeks: 8,
        Status: StatusThresholds.Default,
        Forecast: ForecastBands.Default,
        ForecastPeriod: ForecastPeriod.Month,
        MaxDailyCount: 200,
        ReminderWorkingDays: 2);
}

/// <summary>A sales team inside a workspace with its statistics, stages and settings.</summary>
public sealed record Team(
    string Id,
    string WorkspaceId,
    string Name,
    TeamSettings Settings,
    IReadOnlyList<MetricDefinition> Metrics,
    IReadOnlyList<StageDefinition> Stages,
    DateTimeOffset CreatedAt);
