using KpiBot.Domain;

namespace KpiBot.Kpis;

/// <summary>The method's bounds on a team's statistics: 6–12 in all, 1–2 main, 3–6 sub, 2–4 key.</summary>
public static class MetricSetRules
{
    /// <summary>Checks <paramref name="metrics"/> against the bounds; each warning says what to change.</summary>
    public static MetricSetCheck Check(IReadOnlyList<MetricDefinition> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var main = metrics.Count(m => m.Kind == MetricKind.Main);
        var sub = metrics.Count(m => m.Kind == MetricKind.Sub);
        var key = metrics.Count(m => m.Kind == MetricKind.Key);
        var warnings = new List<string>();
        Bound(warnings, metrics.Count, 6, 12, "statistics in all");
        Bound(warnings, main, 1, 2, "main statistics (results such as revenue won)");
        Bound(warnings, sub, 3, 6, "sub-statistics (one activity per sales phase)");
        Bound(warnings, key, 2, 4, "key statistics (ratios such as conversion)");
        return new MetricSetCheck(metrics.Count, main, sub, key, warnings.Count == 0, warnings);
    }

    private static void Bound(List<string> warnings, int count, int min, int max, string what)
    {
        if (count < min)
        {
            warnings.Add($"The team has {count} {what}; the method needs {min}–{max}. Add {min - count}.");
        }
        else if (count > max)
        {
            warnings.Add($"The team has {count} {what}; the method works with {min}–{max}. Remove {count - max}.");
        }
    }
}
