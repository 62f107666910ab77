namespace KpiBot.Domain;

/// <summary>The default statistics and pipeline stages a new team starts with.</summary>
public static class Defaults
{
    /// <summary>2 main, 4 sub, 3 key: nine statistics, inside the method's 6–12 bounds.</summary>
    public static IReadOnlyList<MetricDefinition> Metrics { get; } =
    [
        new(MetricKeys.Revenue, "Revenue won", MetricKind.Main, MetricUnit.Currency, MetricSource.Deals, null, ["revenue", "sales", "value"]),
        new(MetricKeys.Won, "Deals won", MetricKind.Main, MetricUnit.Count, MetricSource.Deals, 4, ["won", "wins", "deals", "closed"]),
        new(MetricKeys.Booked, "Meetings booked", MetricKind.Sub, MetricUnit.Count, MetricSource.Logged, 0, ["booked", "book", "scheduled", "meetings booked", "bookings"]),
        new(MetricKeys.Held, "Meetings held", MetricKind.Sub, MetricUnit.Count, MetricSource.Logged, 1, ["held", "completed", "meetings held", "met"]),
        new(MetricKeys.Qualified, "Qualified leads", MetricKind.Sub, MetricUnit.Count, MetricSource.Logged, 2, ["qualified", "sql", "sqls", "leads", "qualified leads"]),
        new(MetricKeys.Proposals, "Proposals sent", MetricKind.Sub, MetricUnit.Count, MetricSource.Logged, 3, ["proposals", "proposal", "quotes", "offers", "sent"]),
        new(MetricKeys.Conversion, "Conversion per phase", MetricKind.Key, MetricUnit.Ratio, MetricSource.Derived, null, ["conversion", "funnel"]),
        new(MetricKeys.ForecastAccuracy, "Weighted-pipeline accuracy", MetricKind.Key, MetricUnit.Ratio, MetricSource.Derived, null, ["forecast", "forecast accuracy"]),
        new(MetricKeys.ValuePerCycleMonth, "Deal value per cycle-month", MetricKind.Key, MetricUnit.Currency, MetricSource.Derived, null, ["value per month", "cycle value"]),
    ];

    /// <summary>Open pipeline stages, earliest first, with their forecast probabilities.</summary>
    public static IReadOnlyList<StageDefinition> Stages { get; } =
    [
        new("prospecting", "Prospecting", 0, 0.10, ["prospect", "prospecting", "lead", "new"]),
        new("qualified", "Qualified", 1, 0.25, ["qualified", "qualification", "engaging", "discovery"]),
        new("proposal", "Proposal", 2, 0.50, ["proposal", "quote", "offer"]),
        new("negotiation", "Negotiation", 3, 0.75, ["negotiation", "negotiating", "contract"]),
    ];

    /// <summary>A new team with the default statistics, stages and settings.</summary>
    public static Team NewTeam(string id, string workspaceId, string name, DateTimeOffset createdAt, TeamSettings? settings = null) =>
        new(id, workspaceId, name, settings ?? TeamSettings.Default, Metrics, Stages, createdAt);
}
