using System.Globalization;
using KpiBot.Replies;
using ScottPlot;

namespace KpiBot.Charts;

/// <summary>
/// Draws a neutral <see cref="Chart"/> as a PNG with ScottPlot (SkiaSharp underneath): title, axis titles,
/// category labels, a legend when there is more than one series, fitted lines dashed, gaps left open.
/// Pure: no I/O, the same chart always gives the same picture.
/// </summary>
public static class ChartPngRenderer
{
    /// <summary>Default image width in pixels (cards stretch it to their width).</summary>
    public const int DefaultWidth = 800;

    /// <summary>Default image height in pixels.</summary>
    public const int DefaultHeight = 400;

    // A calm palette with enough contrast on white and for the common colour-vision deficiencies.
    private static readonly Color[] Palette =
    [
        Color.FromHex("#2563EB"), // blue
        Color.FromHex("#F59E0B"), // amber
        Color.FromHex("#10B981"), // green
        Color.FromHex("#8B5CF6"), // violet
        Color.FromHex("#EF4444"), // red
        Color.FromHex("#0EA5E9"), // sky
        Color.FromHex("#64748B"), // slate
    ];

    // The first installed of a few common sans-serif faces (Debian ships Liberation and DejaVu with Chromium;
    // Windows and macOS have Arial / Helvetica); ScottPlot's own guess otherwise.
    private static readonly Lazy<string> SansFont = new(() =>
    {
        var installed = SkiaSharp.SKFontManager.Default.GetFontFamilies().ToHashSet(StringComparer.OrdinalIgnoreCase);
        return new[] { "Liberation Sans", "DejaVu Sans", "Arial", "Helvetica", "Segoe UI" }.FirstOrDefault(installed.Contains) ?? Fonts.Sans;
    });

    private static readonly Color TextColor = Color.FromHex("#1F2937");
    private static readonly Color FitColor = Color.FromHex("#475569");
    private static readonly Color GridColor = Color.FromHex("#E5E7EB");

    /// <summary>Renders <paramref name="chart"/> to PNG bytes.</summary>
    public static byte[] Render(Chart chart, int width = DefaultWidth, int height = DefaultHeight)
    {
        ArgumentNullException.ThrowIfNull(chart);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 100);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 100);
        using var plot = new Plot();
        Style(plot, chart);
        var hasData = chart.Categories.Count > 0 && chart.Series.Any(s => s.Values.Any(v => v.HasValue));
        if (!hasData)
        {
            var text = plot.Add.Text("No data yet", 0, 0);
            text.LabelFontSize = 18;
            text.LabelFontColor = Color.FromHex("#6B7280");
            text.LabelAlignment = Alignment.MiddleCenter;
            plot.Axes.SetLimits(-1, 1, -1, 1);
            plot.HideGrid();
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.EmptyTickGenerator();
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.EmptyTickGenerator();
            return plot.GetImageBytes(width, height, ImageFormat.Png);
        }

        switch (chart.Kind)
        {
            case ChartKind.Line:
                DrawLines(plot, chart);
                break;
            case ChartKind.HorizontalBar:
                DrawBars(plot, chart, horizontal: true);
                break;
            default:
                DrawBars(plot, chart, horizontal: false);
                break;
        }

        var legendSeries = chart.Series.Count(s => !string.IsNullOrWhiteSpace(s.Name));
        if (legendSeries > 1)
        {
            plot.ShowLegend(Edge.Bottom);
            plot.Legend.Orientation = Orientation.Horizontal;
            plot.Legend.FontSize = 12;
            plot.Legend.FontColor = TextColor;
            plot.Legend.OutlineColor = Colors.Transparent;
            plot.Legend.BackgroundColor = Colors.Transparent;
            plot.Legend.ShadowColor = Colors.Transparent;
        }
        else
        {
            plot.HideLegend();
        }

        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    private static void Style(Plot plot, Chart chart)
    {
        plot.FigureBackground.Color = Colors.White;
        plot.DataBackground.Color = Colors.White;
        plot.Title(chart.Title, 18);
        plot.Axes.Title.Label.ForeColor = TextColor;
        plot.Axes.Title.Label.Bold = true;
        if (!string.IsNullOrWhiteSpace(chart.XAxisTitle))
        {
            plot.XLabel(chart.XAxisTitle, 13);
        }

        if (!string.IsNullOrWhiteSpace(chart.YAxisTitle))
        {
            plot.YLabel(chart.YAxisTitle, 13);
        }

        foreach (var axis in new IAxis[] { plot.Axes.Bottom, plot.Axes.Left })
        {
            axis.Label.ForeColor = TextColor;
            axis.Label.Bold = false;
            axis.TickLabelStyle.ForeColor = TextColor;
            axis.TickLabelStyle.FontSize = 12;
            axis.MajorTickStyle.Color = GridColor;
            axis.MinorTickStyle.Length = 0;
            axis.FrameLineStyle.Color = Color.FromHex("#9CA3AF");
        }

        // An open frame (no top and right lines) reads cleaner on a card.
        plot.Axes.Top.FrameLineStyle.Width = 0;
        plot.Axes.Right.FrameLineStyle.Width = 0;
        plot.Grid.MajorLineColor = GridColor;
        plot.Grid.MinorLineWidth = 0;

        // A sans-serif face reads best at small sizes.
        plot.Font.Set(SansFont.Value);
    }

    private static void DrawLines(Plot plot, Chart chart)
    {
        var colorIndex = 0;
        foreach (var series in chart.Series)
        {
            // Fitted lines are dashed slate so they stay distinct from the data even where they overlap.
            var color = series.IsFit ? FitColor : Palette[colorIndex++ % Palette.Length];

            // A null value is a gap (an away week): draw each run of values as its own segment.
            var labelled = false;
            foreach (var segment in Segments(series.Values, chart.Categories.Count))
            {
                var scatter = plot.Add.Scatter(segment.Xs, segment.Ys, color);
                scatter.LineWidth = series.IsFit ? 2 : 3;
                scatter.MarkerSize = series.IsFit ? 0 : 7;
                scatter.LinePattern = series.IsFit ? LinePattern.Dashed : LinePattern.Solid;
                if (!labelled)
                {
                    scatter.LegendText = series.Name;
                    labelled = true;
                }
            }
        }

        SetCategoryTicks(plot.Axes.Bottom, chart.Categories, plot);
        plot.Axes.Margins(horizontal: 0.05, vertical: 0.15);
    }

    private static void DrawBars(Plot plot, Chart chart, bool horizontal)
    {
        var seriesCount = Math.Max(1, chart.Series.Count);
        const double groupWidth = 0.8;
        var barWidth = groupWidth / seriesCount;
        var n = chart.Categories.Count;
        for (var s = 0; s < chart.Series.Count; s++)
        {
            var series = chart.Series[s];
            var color = series.IsFit ? Palette[^1] : Palette[s % Palette.Length];
            var bars = new List<Bar>();
            for (var i = 0; i < n; i++)
            {
                if (i >= series.Values.Count || series.Values[i] is not { } value)
                {
                    continue;
                }

                // Horizontal bars list the first category at the top, as people read a funnel.
                var slot = horizontal ? n - 1 - i : i;
                var position = slot - (groupWidth / 2) + (barWidth * (s + 0.5));
                bars.Add(new Bar
                {
                    Position = seriesCount == 1 ? slot : position,
                    Value = value,
                    Size = seriesCount == 1 ? 0.6 : barWidth * 0.9,
                    FillColor = color,
                    LineWidth = 0,
                    Label = seriesCount <= 2 ? Format(value) : string.Empty,
                });
            }

            var barPlot = plot.Add.Bars(bars);
            barPlot.Horizontal = horizontal;
            barPlot.LegendText = series.Name;
            barPlot.ValueLabelStyle.FontSize = 11;
            barPlot.ValueLabelStyle.ForeColor = TextColor;
        }

        var categoryAxis = horizontal ? (IAxis)plot.Axes.Left : plot.Axes.Bottom;
        var labels = horizontal ? chart.Categories.Reverse().ToList() : chart.Categories.ToList();
        SetCategoryTicks(categoryAxis, labels, plot);
        if (horizontal)
        {
            plot.Axes.Margins(left: 0, right: 0.12, bottom: 0.05, top: 0.05);
        }
        else
        {
            plot.Axes.Margins(bottom: 0, top: 0.15);
        }
    }

    private static void SetCategoryTicks(IAxis axis, IReadOnlyList<string> categories, Plot plot)
    {
        // Show every label when they fit; otherwise every k-th one so they never overlap.
        var step = Math.Max(1, (int)Math.Ceiling(categories.Count / 14.0));
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (var i = 0; i < categories.Count; i += step)
        {
            ticks.AddMajor(i, categories[i]);
        }

        axis.TickGenerator = ticks;
        var longest = categories.Count == 0 ? 0 : categories.Max(c => c.Length);
        if (axis == plot.Axes.Bottom && longest * categories.Count / step > 90)
        {
            axis.TickLabelStyle.Rotation = -35;
            axis.TickLabelStyle.Alignment = Alignment.MiddleRight;
        }
    }

    private static IEnumerable<(double[] Xs, double[] Ys)> Segments(IReadOnlyList<double?> values, int categoryCount)
    {
        var xs = new List<double>();
        var ys = new List<double>();
        for (var i = 0; i < Math.Min(values.Count, categoryCount); i++)
        {
            if (values[i] is { } value && double.IsFinite(value))
            {
                xs.Add(i);
                ys.Add(value);
                continue;
            }

            if (xs.Count > 0)
            {
                yield return (xs.ToArray(), ys.ToArray());
                xs.Clear();
                ys.Clear();
            }
        }

        if (xs.Count > 0)
        {
            yield return (xs.ToArray(), ys.ToArray());
        }
    }

    /// <summary>Invariant formatting for numbers drawn on charts.</summary>
    internal static string Format(double value) => value.ToString("#,0.##", CultureInfo.InvariantCulture);
}
