using KpiBot.Coaching;
using KpiBot.Domain;
using KpiBot.Kpis;
using KpiBot.Replies;

namespace KpiBot.Cards;

/// <summary>
/// Builds the neutral KPI cards from the engine's reports. Renderers turn them into Adaptive Cards, Block Kit, HTML or
/// text, so nothing here knows a platform. Every figure a card shows comes from a report; a card never computes a KPI.
/// </summary>
public static class KpiCards
{
    /// <summary>Significance level used to say "significant" next to a p-value.</summary>
    public const double SignificanceLevel = 0.05;

    /// <summary>The badge for a status state: Normal good, Crisis warning, Danger attention.</summary>
    public static Badge StateBadge(StatusState state) => state switch
    {
        StatusState.Normal => new Badge("Normal", Tone.Good),
        StatusState.Crisis => new Badge("Crisis", Tone.Warning),
        StatusState.Danger => new Badge("Danger", Tone.Attention),
        _ => new Badge("Not yet a statistic", Tone.Muted),
    };

    /// <summary>The trend card of a person's report ("how is Anna trending").</summary>
    public static Reply Trend(PersonKpiReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return Trend(report.DisplayName, report.Status, report.Currency, report.Coaching);
    }

    /// <summary>The trend card of the team's summed series.</summary>
    public static Reply Trend(TeamKpiReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return Trend(report.TeamName, report.Status, report.Currency, report.Coaching);
    }

    /// <summary>
    /// The trend card: heading with the state badge; relative slope, significance and points; the weekly series with
    /// its fitted Theil–Sen line; the coaching suggestions.
    /// </summary>
    public static Reply Trend(string subject, StatusTrend status, string currency, IReadOnlyList<CoachingSuggestion> coaching)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(coaching);
        var metricName = MetricName(status.Metric);
        var badge = StateBadge(status.State);
        var blocks = new List<ReplyBlock> { new Heading($"{subject}: {metricName} trend", badge) };
        var facts = new List<Fact>();
        var isMoney = status.Metric == MetricKeys.Revenue;
        if (status.RelativeSlopePerWeek is { } relative)
        {
            facts.Add(new Fact("Relative slope", CardFormat.PercentPerWeek(relative), badge.Tone));
        }

        if (status.SlopePerWeek is { } slope)
        {
            facts.Add(new Fact("Slope (Theil–Sen)", (isMoney ? CardFormat.Money((decimal)Math.Round(slope, 2), currency) : CardFormat.Number(slope)) + " per week"));
        }

        if (status.Mean is { } mean)
        {
            facts.Add(new Fact("Weekly mean", isMoney ? CardFormat.Money((decimal)Math.Round(mean, 2), currency) : CardFormat.Number(mean)));
        }

        if (status.MannKendall is { } mk)
        {
            var verdict = mk.PValue < SignificanceLevel ? "significant" : "not significant";
            facts.Add(new Fact("Significance", $"Mann–Kendall {CardFormat.PValue(mk.PValue)} ({verdict} at 5 %)"));
        }

        if (status.OlsSlope is { } ols)
        {
            facts.Add(new Fact("Slope t-test", $"t = {CardFormat.Number(ols.T, 2)}, {CardFormat.PValue(ols.PValue)}", Tone.Muted));
        }

        var away = status.Weeks.Count(w => w.Excluded == ActivityCalendar.Away);
        var pointsText = $"{status.Points} of {status.Weeks.Count} weeks" + (away > 0 ? $" ({away} away, left out)" : string.Empty);
        facts.Add(new Fact("Points", pointsText, status.LowConfidence ? Tone.Warning : Tone.Default));
        if (status.LowConfidence)
        {
            facts.Add(new Fact("Confidence", $"Low: only {status.Points} weekly points (6 or more read reliably)", Tone.Warning));
        }

        blocks.Add(new FactList(facts));
        blocks.Add(new Paragraph(status.Explanation, status.State == StatusState.NotYetAStatistic ? Tone.Muted : Tone.Default));
        if (status.Points > 0)
        {
            var categories = status.Weeks.Select(w => w.Week).ToArray();
            var series = new List<ChartSeries> { new(metricName, [.. status.Weeks.Select(w => w.Value)]) };
            if (status.SlopePerWeek is { } s && status.InterceptAtFirstWeek is { } intercept)
            {
                series.Add(new ChartSeries("Trend (Theil–Sen)", [.. categories.Select((_, i) => (double?)Math.Round(intercept + (s * i), 2))], IsFit: true));
            }

            blocks.Add(new Chart($"{metricName} per week", ChartKind.Line, categories, series, "Week", isMoney ? currency : metricName));
        }

        if (coaching.Count > 0)
        {
            blocks.Add(Coaching(coaching));
        }

        var summary = status.RelativeSlopePerWeek is { } r
            ? $"{subject}: {badge.Text} — {metricName} {CardFormat.PercentPerWeek(r)} over {status.Points} weeks"
            : $"{subject}: {badge.Text} — {status.Points} weekly points";
        return new Reply(summary, blocks);
    }

    /// <summary>The coaching suggestions as a list, coloured by urgency.</summary>
    public static CoachingList Coaching(IReadOnlyList<CoachingSuggestion> coaching)
    {
        ArgumentNullException.ThrowIfNull(coaching);
        return new CoachingList("Coaching", [.. coaching.Select(c => new CoachingItem(c.Advice, c.Evidence, c.Urgency switch
        {
            CoachingUrgency.Intervene => Tone.Attention,
            CoachingUrgency.Support => Tone.Warning,
            _ => Tone.Good,
        }))]);
    }

    /// <summary>The funnel card: counts per phase, conversion with 95 % Wilson intervals, bottleneck and flagged steps.</summary>
    public static Reply Funnel(string subject, ConversionReport conversion)
    {
        ArgumentNullException.ThrowIfNull(conversion);
        var steps = new List<FunnelStep>(conversion.Phases.Count);
        for (var i = 0; i < conversion.Phases.Count; i++)
        {
            var phase = conversion.Phases[i];
            var rate = i > 0 ? conversion.Rates[i - 1] : null;
            steps.Add(new FunnelStep(phase.DisplayName, phase.Count, rate?.Rate, rate?.WilsonLow, rate?.WilsonHigh, rate?.IsBottleneck ?? false, rate?.NumeratorExceedsDenominator ?? false));
        }

        string? note = null;
        if (conversion.Bottleneck is { } b)
        {
            note = $"Bottleneck: {b.Label} at {CardFormat.Percent(b.Rate ?? 0)} against the team's {CardFormat.Percent(b.TeamRate ?? 0)}.";
        }

        var period = $"{CardFormat.Date(conversion.WindowStart)} – {CardFormat.Date(conversion.WindowEnd)}";
        var blocks = new List<ReplyBlock>
        {
            new Heading($"{subject}: funnel"),
            new Paragraph($"{conversion.WeeksCounted} complete weeks, {period}. Ranges are 95 % Wilson intervals: small counts read as uncertain.", Tone.Muted),
            new Funnel("Conversion per phase", steps, note),
        };
        var facts = conversion.Rates.Select(r => new Fact(r.Label, RateText(r), r.NumeratorExceedsDenominator ? Tone.Attention : r.IsBottleneck ? Tone.Warning : Tone.Default)).ToArray();
        if (facts.Length > 0)
        {
            blocks.Add(new FactList(facts));
        }

        foreach (var flagged in conversion.Rates.Where(r => r.NumeratorExceedsDenominator))
        {
            blocks.Add(new Paragraph($"More {flagged.To} ({CardFormat.Count(flagged.Numerator)}) than {flagged.From} ({CardFormat.Count(flagged.Denominator)}): shown as logged, not clipped — check the numbers.", Tone.Attention));
        }

        var summary = conversion.Bottleneck is { } bottleneck
            ? $"{subject}: funnel — bottleneck {bottleneck.Label} ({CardFormat.Percent(bottleneck.Rate ?? 0)})"
            : $"{subject}: funnel over {conversion.WeeksCounted} weeks";
        return new Reply(summary, blocks);
    }

    /// <summary>
    /// The pipeline card: open leads per stage at each week's end (table and grouped bars), stage-0 note. Counted from
    /// deals, from logged snapshots, or both; the card says which, and a snapshot pipeline has no value to show.
    /// </summary>
    public static Reply Pipeline(string subject, PipelineReport pipeline, string currency)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        var what = pipeline.Source == PipelineSource.Deals ? "Open deals" : "Open leads";
        var columns = new List<string> { "Stage" };
        columns.AddRange(pipeline.Weeks.Select(ShortWeek));
        columns.Add("Trend/week");
        var rows = pipeline.Stages.Select(s => new TableRow(
            [s.DisplayName, .. s.OpenAtWeekEnd.Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)), s.SlopePerWeek is { } slope ? CardFormat.Number(slope, 2) : "–"],
            s.Shrinking && s.Order == 0 ? Tone.Attention : Tone.Default)).ToArray();
        var blocks = new List<ReplyBlock>
        {
            new Heading($"{subject}: pipeline"),
            new Table(columns, rows),
            new Chart($"{what} per stage at week end", ChartKind.GroupedBar, pipeline.Weeks, [.. pipeline.Stages.Select(s => new ChartSeries(s.DisplayName, [.. s.OpenAtWeekEnd.Select(c => (double?)c)]))], "Week", what),
        };
        switch (pipeline.Source)
        {
            case PipelineSource.Snapshots:
                blocks.Add(new Paragraph("Counted from logged pipeline snapshots (the latest one of each week; a stage keeps its count until the next snapshot). Log one with \"pipeline prospecting 12 qualified 5\".", Tone.Muted));
                break;
            case PipelineSource.Mixed:
                blocks.Add(new Paragraph("Counted from open deals, and from logged pipeline snapshots for the people who track no deals.", Tone.Muted));
                blocks.Add(new FactList([new Fact("Open pipeline value (deals)", CardFormat.Money(pipeline.OpenValueAtLastWeek, currency))]));
                break;
            default:
                blocks.Add(new FactList([new Fact("Open pipeline value", CardFormat.Money(pipeline.OpenValueAtLastWeek, currency))]));
                break;
        }
        if (pipeline.StageZeroShrinking && pipeline.Stages.Count > 0)
        {
            var stage0 = pipeline.Stages[0];
            blocks.Add(new Paragraph($"{stage0.DisplayName} is shrinking ({CardFormat.Number(stage0.SlopePerWeek ?? 0, 2)} deals per week): it predicts weaker sales later. Protect prospecting time.", Tone.Attention));
        }

        var summary = pipeline.StageZeroShrinking ? $"{subject}: pipeline — {pipeline.Stages[0].DisplayName} shrinking" : $"{subject}: pipeline over {pipeline.Weeks.Count} weeks";
        return new Reply(summary, blocks);
    }

    /// <summary>The forecast accuracy card: per closed period F, A, deviation and band; the bands; per-stage calibration.</summary>
    public static Reply Forecast(string subject, ForecastReport forecast, ForecastBands bands, string currency)
    {
        ArgumentNullException.ThrowIfNull(forecast);
        ArgumentNullException.ThrowIfNull(bands);
        var blocks = new List<ReplyBlock> { new Heading($"{subject}: forecast accuracy", forecast.Latest is { } l ? BandBadge(l.Band) : null) };
        if (forecast.Note is { } note)
        {
            blocks.Add(new Paragraph(note, forecast.HasExpectedCloseDates ? Tone.Muted : Tone.Warning));
        }

        blocks.Add(new Table(
            ["Period", "Forecast F", "Actual A", "Deviation", "Band"],
            [.. forecast.Periods.Select(p => new TableRow(
                [p.Period, p.Forecast is { } f ? CardFormat.Money(Math.Round(f, 0), currency) : "no forecast", CardFormat.Money(p.Actual, currency), p.Deviation is { } d ? CardFormat.Percent(d) : "–", BandText(p.Band)],
                BandBadge(p.Band).Tone))]));
        blocks.Add(new FactList(
        [
            new Fact("In control", $"≤ {CardFormat.Percent(bands.InControlAtOrBelow)}", Tone.Good),
            new Fact("Watch", $"{CardFormat.Percent(bands.InControlAtOrBelow)} – {CardFormat.Percent(bands.WatchAtOrBelow)}", Tone.Warning),
            new Fact("Lead qualification needs work", $"> {CardFormat.Percent(bands.WatchAtOrBelow)}", Tone.Attention),
        ]));
        if (forecast.Calibration.Count > 0)
        {
            blocks.Add(new Table(
                ["Stage", "Probability", "Won share", "Closed deals"],
                [.. forecast.Calibration.Select(c => new TableRow([c.DisplayName, CardFormat.Percent(c.ConfiguredProbability), c.WonShare is { } w ? CardFormat.Percent(w) : "–", $"{c.WonDeals} won of {c.ClosedDeals}"]))]));
        }

        var summary = forecast.Latest is { } latest
            ? $"{subject}: forecast {latest.Period} off by {CardFormat.Percent(latest.Deviation ?? 0)} ({BandText(latest.Band)})"
            : $"{subject}: no weighted forecast yet";
        return new Reply(summary, blocks);
    }

    /// <summary>The deal value per sales-cycle month card.</summary>
    public static Reply CycleValue(string subject, CycleValueReport value, string currency)
    {
        ArgumentNullException.ThrowIfNull(value);
        var perMonth = value.ValuePerCycleMonth is { } v ? CardFormat.Money(v, currency) : "no deals won";
        return new Reply(
            $"{subject}: {perMonth} per cycle-month",
            [
                new Heading($"{subject}: deal value per cycle-month"),
                new FactList(
                [
                    new Fact("Value per cycle-month", perMonth, value.ValuePerCycleMonth is null ? Tone.Muted : Tone.Default),
                    new Fact("Deals won", value.DealsWon.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    new Fact("Won value", CardFormat.Money(value.WonValue, currency)),
                    new Fact("Cycle months", $"{CardFormat.Number(value.CycleMonths, 2)} ({value.CycleDays} days ÷ 30.44)"),
                    new Fact("Window", $"{CardFormat.Date(value.WindowStart)} – {CardFormat.Date(value.WindowEnd)}", Tone.Muted),
                ]),
            ]);
    }

    /// <summary>The deal figures card: won, lost, close rate, won value, average value and cycle.</summary>
    public static Reply DealFigures(string subject, DealFigures deals, string currency)
    {
        ArgumentNullException.ThrowIfNull(deals);
        return new Reply(
            $"{subject}: {deals.Won} won, {deals.Lost} lost",
            [
                new Heading($"{subject}: deals"),
                new FactList(
                [
                    new Fact("Won", deals.Won.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    new Fact("Lost", deals.Lost.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    new Fact("Close rate", deals.CloseRate is { } c ? CardFormat.Percent(c) : "–"),
                    new Fact("Won value", CardFormat.Money(deals.WonValue, currency)),
                    new Fact("Average won deal", deals.AverageWonValue is { } a ? CardFormat.Money(a, currency) : "–"),
                    new Fact("Average cycle", deals.AverageCycleDays is { } d ? $"{CardFormat.Number(d)} days" : "–"),
                    new Fact("Open now", deals.OpenAtEnd.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ]),
            ]);
    }

    /// <summary>
    /// The team overview: team totals and everyone's state, attention first. With <paramref name="channelSafe"/> the
    /// card is meant for a channel post: people in Crisis or Danger are not named (only counted) — coaching is private.
    /// </summary>
    public static Reply TeamOverview(TeamKpiReport report, bool channelSafe)
    {
        ArgumentNullException.ThrowIfNull(report);
        var badge = StateBadge(report.Status.State);
        var blocks = new List<ReplyBlock> { new Heading($"{report.TeamName}: team status", badge) };
        var facts = new List<Fact>();
        if (report.Status.RelativeSlopePerWeek is { } rel)
        {
            facts.Add(new Fact($"Team {MetricName(report.Status.Metric)}", $"{CardFormat.PercentPerWeek(rel)} over {report.Status.Points} weeks", badge.Tone));
        }

        if (report.Conversion.Phases.Count >= 2 && report.Conversion.Phases[0].Count > 0)
        {
            var first = report.Conversion.Phases[0];
            var last = report.Conversion.Phases[^1];
            facts.Add(new Fact($"{first.Metric} → {last.Metric}", $"{CardFormat.Percent((double)(last.Count / first.Count))} ({CardFormat.Count(last.Count)} of {CardFormat.Count(first.Count)})"));
        }

        facts.Add(new Fact("Deals won", $"{report.Deals.Won} ({CardFormat.Money(report.Deals.WonValue, report.Currency)})"));
        if (report.CycleValue.ValuePerCycleMonth is { } perMonth)
        {
            facts.Add(new Fact("Value per cycle-month", CardFormat.Money(perMonth, report.Currency)));
        }

        if (report.Pipeline.Source != PipelineSource.Snapshots)
        {
            facts.Add(new Fact("Open pipeline", CardFormat.Money(report.Pipeline.OpenValueAtLastWeek, report.Currency)));
        }
        if (report.Forecast.Latest is { } latest)
        {
            facts.Add(new Fact($"Forecast {latest.Period}", $"off by {CardFormat.Percent(latest.Deviation ?? 0)} ({BandText(latest.Band)})", BandBadge(latest.Band).Tone));
        }

        blocks.Add(new FactList(facts));
        var shown = channelSafe ? report.People.Where(p => p.State is not (StatusState.Crisis or StatusState.Danger)).ToArray() : [.. report.People];
        if (shown.Length > 0)
        {
            blocks.Add(new Table(
                ["Person", "State", "Trend", "Weeks", "Bottleneck"],
                [.. shown.Select(p => new TableRow(
                    [p.DisplayName, StateBadge(p.State).Text + (p.LowConfidence ? " (low confidence)" : string.Empty), p.RelativeSlopePerWeek is { } r ? CardFormat.PercentPerWeek(r) : "–", p.Points.ToString(System.Globalization.CultureInfo.InvariantCulture), (channelSafe ? null : p.Bottleneck) ?? "–"],
                    StateBadge(p.State).Tone))]));
        }

        var danger = report.People.Count(p => p.State == StatusState.Danger);
        var crisis = report.People.Count(p => p.State == StatusState.Crisis);
        if (channelSafe && danger + crisis > 0)
        {
            blocks.Add(new Paragraph($"{Plural(danger + crisis, "person needs", "people need")} support this week; managers see the details privately ('who needs coaching').", Tone.Muted));
        }

        foreach (var warning in report.MetricSet.Warnings)
        {
            blocks.Add(new Paragraph(warning, Tone.Warning));
        }

        if (!channelSafe && report.Coaching.Count > 0)
        {
            blocks.Add(Coaching(report.Coaching));
        }

        var summary = channelSafe
            ? $"{report.TeamName}: team {badge.Text}, {report.People.Count(p => p.State == StatusState.Normal)} of {report.People.Count} growing"
            : $"{report.TeamName}: {danger} in Danger, {crisis} in Crisis, {report.People.Count(p => p.State == StatusState.Normal)} Normal";
        return new Reply(summary, blocks, channelSafe ? ReplyVisibility.Conversation : ReplyVisibility.Private);
    }

    /// <summary>A person's full stats ("my stats"): trend, funnel, pipeline, forecast, value per cycle-month and deals in one reply.</summary>
    public static Reply PersonStats(PersonKpiReport report, ForecastBands bands)
    {
        ArgumentNullException.ThrowIfNull(report);
        var parts = new[]
        {
            Trend(report),
            Funnel(report.DisplayName, report.Conversion),
            Pipeline(report.DisplayName, report.Pipeline, report.Currency),
            Forecast(report.DisplayName, report.Forecast, bands, report.Currency),
            CycleValue(report.DisplayName, report.CycleValue, report.Currency),
            DealFigures(report.DisplayName, report.Deals, report.Currency),
        };
        return new Reply(parts[0].Summary, [.. parts.SelectMany(p => p.Blocks)]);
    }

    private static string RateText(PhaseRate rate)
    {
        if (rate.Rate is not { } value)
        {
            return $"– ({CardFormat.Count(rate.Numerator)} of {CardFormat.Count(rate.Denominator)})";
        }

        var text = $"{CardFormat.Percent(value)} ({CardFormat.Count(rate.Numerator)} of {CardFormat.Count(rate.Denominator)})";
        if (rate.WilsonLow is { } low && rate.WilsonHigh is { } high)
        {
            text += $", 95 % {CardFormat.Percent(low)}–{CardFormat.Percent(high)}";
        }

        if (rate.NumeratorExceedsDenominator)
        {
            text += ", flagged";
        }

        if (rate.TeamRate is { } team)
        {
            text += $"; team {CardFormat.Percent(team)}";
        }

        return text;
    }

    private static Badge BandBadge(ForecastBand band) => band switch
    {
        ForecastBand.InControl => new Badge("In control", Tone.Good),
        ForecastBand.Watch => new Badge("Watch", Tone.Warning),
        ForecastBand.LeadQualification => new Badge("Lead qualification", Tone.Attention),
        _ => new Badge("No forecast", Tone.Muted),
    };

    private static string BandText(ForecastBand band) => band switch
    {
        ForecastBand.InControl => "in control",
        ForecastBand.Watch => "watch",
        ForecastBand.LeadQualification => "lead qualification needs work",
        _ => "no forecast",
    };

    private static string MetricName(string metric) =>
        Defaults.Metrics.FirstOrDefault(m => m.Key == metric)?.DisplayName.ToLowerInvariant() is { } name ? name : metric;

    private static string ShortWeek(string label) => label.Length > 5 && label[^4] == '-' ? label[^3..] : label;

    private static string Plural(int count, string one, string many) =>
        count.ToString(System.Globalization.CultureInfo.InvariantCulture) + " " + (count == 1 ? one : many);
}
