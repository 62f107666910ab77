namespace KpiBot.Domain;

/// <summary>
/// Logged pipeline snapshots, for teams that do not track deals: "12 in prospecting, 5 qualified" as counted by the
/// salesperson. A snapshot is a level, not a flow, so it is stored as a daily entry under its own metric key
/// (<c>pipeline:prospecting</c>) that no statistic of the team uses: it never adds to a funnel or a weekly total, and it
/// gets the entries' idempotency by source id, undo and audit for free. The latest snapshot of a stage on or before a
/// week's end is that stage's count for the week (<see cref="Kpis.PipelineKpi"/>).
/// </summary>
public static class PipelineSnapshots
{
    /// <summary>The prefix of every snapshot metric key.</summary>
    public const string MetricPrefix = "pipeline:";

    /// <summary>The metric key of a snapshot of stage <paramref name="stageKey"/>.</summary>
    public static string MetricFor(string stageKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stageKey);
        return MetricPrefix + stageKey;
    }

    /// <summary>The stage key of a snapshot metric, or null when <paramref name="metric"/> is not a snapshot.</summary>
    public static string? StageOf(string metric) =>
        metric is not null && metric.StartsWith(MetricPrefix, StringComparison.Ordinal) && metric.Length > MetricPrefix.Length
            ? metric[MetricPrefix.Length..]
            : null;

    /// <summary>True when <paramref name="entry"/> is a pipeline snapshot.</summary>
    public static bool IsSnapshot(DailyEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.Metric.StartsWith(MetricPrefix, StringComparison.Ordinal);
    }
}
