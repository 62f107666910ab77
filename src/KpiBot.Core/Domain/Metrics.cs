namespace KpiBot.Domain;

/// <summary>The three kinds of statistic of the "statistical precision" method.</summary>
public enum MetricKind
{
    /// <summary>Value-added output: the result wanted from the salesperson (revenue won, deals won).</summary>
    Main,
    /// <summary>An activity that leads there, one per sales phase (booked, held, qualified, proposals).</summary>
    Sub,
    /// <summary>A quality ratio: one statistic divided by another.</summary>
    Key,
}

/// <summary>What a metric's numbers are.</summary>
public enum MetricUnit
{
    /// <summary>Whole counts (meetings, leads, deals).</summary>
    Count,
    /// <summary>Money in the team's currency.</summary>
    Currency,
    /// <summary>A ratio or percentage (key statistics).</summary>
    Ratio,
}

/// <summary>Where a metric's values come from.</summary>
public enum MetricSource
{
    /// <summary>Typed in chat as daily entries (<c>log booked 5</c>).</summary>
    Logged,
    /// <summary>Derived from deals: won count and won value. Never logged as entries, so never counted twice.</summary>
    Deals,
    /// <summary>Computed by the KPI engine from other statistics (the key statistics).</summary>
    Derived,
}

/// <summary>One statistic in a team's set.</summary>
/// <param name="Key">Stable lower-case key used in storage and commands (<c>booked</c>).</param>
/// <param name="Phase">Sales phase 0.. for sub-statistics and the won count; null otherwise.</param>
/// <param name="Synonyms">Other words people type for it (<c>scheduled</c> for booked, <c>sql</c> for qualified).</param>
public sealed record MetricDefinition(
    string Key,
    string DisplayName,
    MetricKind Kind,
    MetricUnit Unit,
    MetricSource Source,
    int? Phase,
    IReadOnlyList<string> Synonyms);

/// <summary>The well-known metric keys of the default set.</summary>
public static class MetricKeys
{
    /// <summary>Phase 0: meetings booked.</summary>
    public const string Booked = "booked";
    /// <summary>Phase 1: meetings held.</summary>
    public const string Held = "held";
    /// <summary>Phase 2: qualified leads.</summary>
    public const string Qualified = "qualified";
    /// <summary>Phase 3: proposals sent.</summary>
    public const string Proposals = "proposals";
    /// <summary>Phase 4 and a main statistic: deals won (from deals).</summary>
    public const string Won = "won";
    /// <summary>The main statistic: revenue won (from deals).</summary>
    public const string Revenue = "revenue";
    /// <summary>Key statistic: conversion per phase.</summary>
    public const string Conversion = "conversion";
    /// <summary>Key statistic: weighted-pipeline forecast accuracy.</summary>
    public const string ForecastAccuracy = "forecast_accuracy";
    /// <summary>Key statistic: deal value per sales-cycle month.</summary>
    public const string ValuePerCycleMonth = "value_per_cycle_month";
}

/// <summary>A stage of the deal pipeline with the probability the weighted forecast gives it.</summary>
/// <param name="Order">0 is the earliest stage (a shrinking stage 0 predicts weaker sales later).</param>
/// <param name="Probability">Chance a deal in this stage is won, 0..1.</param>
public sealed record StageDefinition(string Key, string DisplayName, int Order, double Probability, IReadOnlyList<string> Synonyms);
