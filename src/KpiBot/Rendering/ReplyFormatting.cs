using System.Globalization;
using System.Text;
using KpiBot.Replies;

namespace KpiBot.Rendering;

/// <summary>
/// Wording and number formats shared by every renderer, so a funnel reads the same in Teams, Slack,
/// the local page and plain text.
/// </summary>
public static class ReplyFormatting
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>A count without trailing zeros ("12", "2.5").</summary>
    public static string Count(decimal count) => count.ToString("#,0.##", Invariant);

    /// <summary>A rate as a percentage with one decimal at most ("75 %", "33.3 %").</summary>
    public static string Percent(double rate) => (rate * 100).ToString("0.#", Invariant) + " %";

    /// <summary>The conversion into a funnel step ("75 %"), or "—" for the first step.</summary>
    public static string Rate(FunnelStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return step.Rate is { } rate ? Percent(rate) : "—";
    }

    /// <summary>The 95 % interval of a step's rate ("61–85 %"), or an empty string when there is none.</summary>
    public static string Interval(FunnelStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (step.RateLow is not { } low || step.RateHigh is not { } high)
        {
            return string.Empty;
        }

        return (low * 100).ToString("0", Invariant) + "–" + (high * 100).ToString("0", Invariant) + " %";
    }

    /// <summary>The remarks of a funnel step: bottleneck and/or a numerator above its denominator.</summary>
    public static string StepRemarks(FunnelStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        var remarks = new List<string>(2);
        if (step.IsBottleneck)
        {
            remarks.Add("bottleneck");
        }

        if (step.Flagged)
        {
            remarks.Add("more than the previous phase — check the numbers");
        }

        return string.Join("; ", remarks);
    }

    /// <summary>The column headers used wherever a funnel is drawn as a table.</summary>
    public static IReadOnlyList<string> FunnelColumns { get; } = ["Phase", "Count", "Conversion", "95 % interval"];

    /// <summary>One screen-reader friendly sentence describing a chart's data.</summary>
    public static string ChartAltText(Chart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var kind = chart.Kind switch
        {
            ChartKind.Line => "Line chart",
            ChartKind.VerticalBar => "Bar chart",
            ChartKind.HorizontalBar => "Horizontal bar chart",
            ChartKind.GroupedBar => "Grouped bar chart",
            _ => "Chart",
        };
        var text = new StringBuilder();
        text.Append(kind).Append(" \"").Append(chart.Title).Append('"');
        if (chart.Categories.Count > 0)
        {
            text.Append(" with ").Append(chart.Categories.Count.ToString(Invariant)).Append(chart.Categories.Count == 1 ? " point" : " points");
            if (!string.IsNullOrWhiteSpace(chart.XAxisTitle))
            {
                text.Append(" by ").Append(chart.XAxisTitle.ToLowerInvariant());
            }

            text.Append(" (").Append(chart.Categories[0]).Append(" to ").Append(chart.Categories[^1]).Append(')');
        }

        foreach (var series in chart.Series.Where(s => !s.IsFit))
        {
            var points = series.Values.Select((v, i) => (Value: v, Index: i)).Where(p => p.Value.HasValue).ToList();
            if (points.Count == 0)
            {
                text.Append("; ").Append(series.Name).Append(": no data");
                continue;
            }

            text.Append("; ").Append(series.Name).Append(": ")
                .Append(Number(points[0].Value!.Value)).Append(" to ").Append(Number(points[^1].Value!.Value));
        }

        if (chart.Series.Any(s => s.IsFit))
        {
            text.Append("; dashed line: fitted trend");
        }

        return text.Append('.').ToString();
    }

    /// <summary>A chart value for text ("12,500", "3.5").</summary>
    public static string Number(double value) => value.ToString("#,0.##", Invariant);

    /// <summary>Cuts <paramref name="text"/> to <paramref name="max"/> characters, ending with an ellipsis when cut.</summary>
    public static string Truncate(string text, int max)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= max)
        {
            return text;
        }

        // Don't split a surrogate pair: a lone half renders as a replacement glyph.
        var cut = max - 1;
        if (cut > 0 && char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return string.Concat(text.AsSpan(0, cut), "…");
    }

    /// <summary>The note appended when rows had to be left out to respect a platform's size limit.</summary>
    public static string RowsCutNote(int shown, int total) =>
        $"Showing {shown.ToString(Invariant)} of {total.ToString(Invariant)} rows — the rest did not fit in one message. Ask for a smaller team or a shorter period to see them all.";
}
