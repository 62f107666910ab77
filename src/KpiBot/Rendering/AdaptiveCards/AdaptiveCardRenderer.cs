using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KpiBot.Charts;
using KpiBot.Replies;

namespace KpiBot.Rendering.AdaptiveCards;

/// <summary>
/// Renders a neutral <see cref="Reply"/> as an Adaptive Card 1.5. Buttons are Universal Actions
/// (<c>Action.Execute</c>, verb <c>command</c> / <c>form</c>) that fall back to <c>Action.Submit</c> with the same
/// data, so older hosts still send the command back as a message.
/// </summary>
public sealed class AdaptiveCardRenderer(IChartImages charts) : IAdaptiveCardRenderer
{
    /// <summary>
    /// The card budget in UTF-8 bytes. Teams accepts ~100 KB per message, but incoming webhooks and Workflows
    /// stop at 28 KB; one rule for both keeps every card postable everywhere.
    /// </summary>
    public const int MaxCardBytes = 28 * 1024;

    /// <summary>The <c>verb</c> of buttons that run a chat command (<c>data.command</c> holds it).</summary>
    public const string CommandVerb = "command";

    /// <summary>The <c>verb</c> of form submit buttons (<c>data.formId</c> names the form; inputs are merged in).</summary>
    public const string FormVerb = "form";

    /// <summary>
    /// Most buttons in one ActionSet: hosts' default <c>actions.maxActions</c> is 5 (Teams allows 6) and
    /// renderers drop or refuse the rest, so more buttons go into further ActionSets.
    /// </summary>
    public const int MaxActionsPerSet = 5;

    // Tried in order until the card fits MaxCardBytes: every row first, then fewer.
    private static readonly int[] RowCaps = [int.MaxValue, 40, 25, 15, 10, 5, 0];

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <inheritdoc />
    public JsonObject Render(Reply reply, AdaptiveCardOptions options)
    {
        ArgumentNullException.ThrowIfNull(reply);
        ArgumentNullException.ThrowIfNull(options);
        AdaptiveCard card;
        foreach (var cap in RowCaps)
        {
            card = Build(reply, options, cap);
            var bytes = JsonSerializer.SerializeToUtf8Bytes(card, AdaptiveCardJsonContext.Default.AdaptiveCard);
            if (bytes.Length <= MaxCardBytes)
            {
                return (JsonObject)JsonNode.Parse(bytes)!;
            }
        }

        // Even without table rows the card is too large (huge paragraphs or fact values): shorten every text,
        // then, as a last resort, drop trailing blocks and say so.
        var shortened = ShortenTexts(reply, 500);
        for (var keep = shortened.Blocks.Count; keep >= 0; keep--)
        {
            var blocks = shortened.Blocks.Take(keep).ToList();
            if (keep < shortened.Blocks.Count)
            {
                blocks.Add(new Paragraph("Part of this reply was too large for one card and was left out.", Tone.Muted));
            }

            card = Build(shortened with { Blocks = blocks }, options, 0);
            var bytes = JsonSerializer.SerializeToUtf8Bytes(card, AdaptiveCardJsonContext.Default.AdaptiveCard);
            if (bytes.Length <= MaxCardBytes)
            {
                return (JsonObject)JsonNode.Parse(bytes)!;
            }
        }

        return (JsonObject)JsonSerializer.SerializeToNode(Build(Reply.Text(ReplyFormatting.Truncate(reply.Summary, 2_000)), options), AdaptiveCardJsonContext.Default.AdaptiveCard)!;
    }

    /// <summary>A copy of <paramref name="reply"/> with every free text cut to <paramref name="max"/> characters.</summary>
    private static Reply ShortenTexts(Reply reply, int max)
    {
        string Cut(string text) => ReplyFormatting.Truncate(text, max);
        return reply with
        {
            Blocks = reply.Blocks.Select(block => block switch
            {
                Paragraph p => p with { Text = Cut(p.Text) },
                FactList f => new FactList(f.Facts.Select(x => x with { Label = Cut(x.Label), Value = Cut(x.Value) }).ToList()),
                CoachingList c => c with { Items = c.Items.Select(i => i with { Advice = Cut(i.Advice), Evidence = Cut(i.Evidence) }).ToList() },
                Table t => t with { Rows = t.Rows.Select(r => r with { Cells = r.Cells.Select(Cut).ToList() }).ToList() },
                _ => block,
            }).ToList(),
        };
    }

    /// <summary>Builds the typed card (exposed for tests and for callers that want the model).</summary>
    public AdaptiveCard Build(Reply reply, AdaptiveCardOptions options, int maxRowsPerTable = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(reply);
        ArgumentNullException.ThrowIfNull(options);
        var body = new List<AcElement>();
        foreach (var block in reply.Blocks)
        {
            body.AddRange(RenderBlock(block, options, maxRowsPerTable, body.Count > 0));
        }

        return new AdaptiveCard(body) { FallbackText = reply.Summary, Speak = reply.Summary };
    }

    private IEnumerable<AcElement> RenderBlock(ReplyBlock block, AdaptiveCardOptions options, int maxRows, bool notFirst) => block switch
    {
        Heading heading => [RenderHeading(heading)],
        Paragraph paragraph => [Text(paragraph.Text, paragraph.Tone)],
        FactList facts => [RenderFacts(facts)],
        Table table => RenderTable(table, maxRows),
        Funnel funnel => [RenderFunnel(funnel, notFirst)],
        Chart chart => [RenderChart(chart, options)],
        CoachingList coaching => [RenderCoaching(coaching, notFirst)],
        Actions actions => RenderActions(actions),
        Form form => [RenderForm(form, notFirst)],
        // Names only: Teams' msteams.entities mentions are outside the Adaptive Cards 1.5 schema KpiBot validates against.
        Mentions mentions => [Text(mentions.Lead + " " + string.Join(", ", mentions.People.Select(p => p.DisplayName)), Tone.Default)],
        _ => [Text($"(This part of the reply can't be shown here: {block.GetType().Name}.)", Tone.Muted)],
    };

    private static AcElement RenderHeading(Heading heading)
    {
        var title = new AcTextBlock(Escape(heading.Text)) { Size = AcFontSize.Large, Weight = AcFontWeight.Bolder, Wrap = true };
        if (heading.Badge is not { } badge)
        {
            return title;
        }

        return new AcColumnSet(
        [
            new AcColumn([title]) { Width = "stretch", VerticalContentAlignment = "center" },
            new AcColumn([new AcTextBlock(Escape(badge.Text)) { Weight = AcFontWeight.Bolder, Color = ColorOf(badge.Tone), Wrap = false }])
            {
                Width = "auto",
                Style = StyleOf(badge.Tone),
                VerticalContentAlignment = "center",
            },
        ]);
    }

    private static AcElement RenderFacts(FactList facts)
    {
        // A FactSet can't colour a value; when a fact carries a tone, lay the pairs out as columns instead.
        if (facts.Facts.All(f => f.Tone == Tone.Default))
        {
            return new AcFactSet(facts.Facts.Select(f => new AcFact(Escape(f.Label), Escape(f.Value))).ToList());
        }

        return new AcContainer(facts.Facts.Select(f => (AcElement)new AcColumnSet(
        [
            new AcColumn([new AcTextBlock(Escape(f.Label)) { Weight = AcFontWeight.Bolder, Wrap = true }]) { Width = "2" },
            new AcColumn([Text(f.Value, f.Tone)]) { Width = "3" },
        ]) { Spacing = AcSpacing.Small }).ToList());
    }

    private static IEnumerable<AcElement> RenderTable(Table table, int maxRows)
    {
        var shown = table.Rows.Take(maxRows).ToList();
        var rows = new List<AcTableRow>(shown.Count + 1)
        {
            new(table.Columns.Select(c => Cell(new AcTextBlock(Escape(c)) { Weight = AcFontWeight.Bolder, Wrap = true })).ToList()),
        };
        foreach (var row in shown)
        {
            var cells = Enumerable.Range(0, table.Columns.Count)
                .Select(i => Cell(Text(i < row.Cells.Count ? row.Cells[i] : string.Empty, row.Tone == Tone.Muted ? Tone.Muted : Tone.Default)))
                .ToList();
            rows.Add(new AcTableRow(cells) { Style = RowStyleOf(row.Tone) });
        }

        var columns = table.Columns.Select((_, i) => new AcTableColumn(i == 0 ? 3 : 2)).ToList();
        yield return new AcTable(columns, rows) { FirstRowAsHeader = true, ShowGridLines = true };
        if (table.Rows.Count == 0)
        {
            yield return Text("No rows yet.", Tone.Muted);
        }
        else if (shown.Count < table.Rows.Count)
        {
            yield return Text(ReplyFormatting.RowsCutNote(shown.Count, table.Rows.Count), Tone.Muted);
        }
    }

    private static AcElement RenderFunnel(Funnel funnel, bool separator)
    {
        var items = new List<AcElement> { new AcTextBlock(Escape(funnel.Title)) { Weight = AcFontWeight.Bolder, Size = AcFontSize.Medium, Wrap = true } };
        var rows = new List<AcTableRow>
        {
            new(ReplyFormatting.FunnelColumns.Select(c => Cell(new AcTextBlock(Escape(c)) { Weight = AcFontWeight.Bolder, Wrap = true })).ToList()),
        };
        foreach (var step in funnel.Steps)
        {
            var labelCell = new List<AcElement> { new AcTextBlock(Escape(step.Label)) { Wrap = true, Weight = step.IsBottleneck ? AcFontWeight.Bolder : null } };
            if (step.IsBottleneck)
            {
                labelCell.Add(new AcTextBlock("▲ bottleneck") { Color = AcColor.Attention, Size = AcFontSize.Small, Weight = AcFontWeight.Bolder, Spacing = AcSpacing.None });
            }

            var rateCell = new List<AcElement> { new AcTextBlock(Escape(ReplyFormatting.Rate(step))) { Color = step.Flagged ? AcColor.Attention : null, Wrap = true } };
            if (step.Flagged)
            {
                rateCell.Add(new AcTextBlock("⚠ more than the previous phase — check the numbers") { Color = AcColor.Attention, Size = AcFontSize.Small, Wrap = true, Spacing = AcSpacing.None });
            }

            rows.Add(new AcTableRow(
            [
                new AcTableCell(labelCell),
                Cell(new AcTextBlock(ReplyFormatting.Count(step.Count))),
                new AcTableCell(rateCell),
                Cell(new AcTextBlock(ReplyFormatting.Interval(step)) { IsSubtle = true }),
            ]) { Style = step.IsBottleneck ? AcContainerStyle.Attention : step.Flagged ? AcContainerStyle.Warning : null });
        }

        items.Add(new AcTable([new(3), new(2), new(2), new(3)], rows) { FirstRowAsHeader = true, ShowGridLines = true });
        if (!string.IsNullOrWhiteSpace(funnel.Note))
        {
            items.Add(Text(funnel.Note, Tone.Muted));
        }

        return new AcContainer(items) { Separator = separator ? true : null, Spacing = separator ? AcSpacing.Medium : null };
    }

    private AcElement RenderChart(Chart chart, AdaptiveCardOptions options)
    {
        var image = new AcImage(charts.UrlFor(chart)) { AltText = ReplyFormatting.ChartAltText(chart), Size = "stretch" };
        if (!options.NativeCharts)
        {
            return image;
        }

        var fallback = image with { Spacing = null };
        var xTitle = chart.XAxisTitle;
        var yTitle = chart.YAxisTitle;
        return chart.Kind switch
        {
            ChartKind.Line => new AcLineChart(chart.Series.Select(s => Series(chart, s)).ToList())
            {
                Title = chart.Title, XAxisTitle = xTitle, YAxisTitle = yTitle, Fallback = fallback,
            },
            ChartKind.VerticalBar when chart.Series.Count <= 1 => new AcVerticalBarChart(Points(chart, chart.Series.FirstOrDefault()))
            {
                Title = chart.Title, XAxisTitle = xTitle, YAxisTitle = yTitle, ShowBarValues = true, Fallback = fallback,
            },
            ChartKind.HorizontalBar when chart.Series.Count <= 1 => new AcHorizontalBarChart(Points(chart, chart.Series.FirstOrDefault()))
            {
                Title = chart.Title, DisplayMode = "AbsoluteWithAxis", Fallback = fallback,
            },
            // Several bar series (or a grouped chart) become grouped vertical bars: Teams has no multi-series single bar chart.
            _ => new AcGroupedBarChart(chart.Series.Select(s => Series(chart, s)).ToList())
            {
                Title = chart.Title, XAxisTitle = xTitle, YAxisTitle = yTitle, Fallback = fallback,
            },
        };
    }

    private static AcChartSeries Series(Chart chart, ChartSeries series) =>
        new(series.Name, Points(chart, series)) { Color = series.IsFit ? "neutral" : null };

    private static List<AcChartPoint> Points(Chart chart, ChartSeries? series)
    {
        if (series is null)
        {
            return [];
        }

        // Null values are gaps (an away week): Teams charts have no gap marker, so the point is left out.
        return chart.Categories
            .Select((category, i) => (category, value: i < series.Values.Count ? series.Values[i] : null))
            .Where(p => p.value.HasValue)
            .Select(p => new AcChartPoint(p.category, Math.Round(p.value!.Value, 4)))
            .ToList();
    }

    private static AcElement RenderCoaching(CoachingList coaching, bool separator)
    {
        var items = new List<AcElement> { new AcTextBlock(Escape(coaching.Title)) { Weight = AcFontWeight.Bolder, Size = AcFontSize.Medium, Wrap = true } };
        foreach (var item in coaching.Items)
        {
            items.Add(new AcTextBlock("• " + Escape(item.Advice)) { Wrap = true, Weight = AcFontWeight.Bolder, Color = ColorOf(item.Tone), Spacing = AcSpacing.Small });
            items.Add(new AcTextBlock(Escape(item.Evidence)) { Wrap = true, IsSubtle = true, Size = AcFontSize.Small, Spacing = AcSpacing.None });
        }

        if (coaching.Items.Count == 0)
        {
            items.Add(Text("No suggestions right now.", Tone.Muted));
        }

        return new AcContainer(items) { Separator = separator ? true : null, Spacing = separator ? AcSpacing.Medium : null };
    }

    private static IEnumerable<AcElement> RenderActions(Actions actions) =>
        actions.Items.Chunk(MaxActionsPerSet).Select(chunk => (AcElement)new AcActionSet(
            chunk.Select(a => Button(a.Title, CommandVerb, new Dictionary<string, string> { ["command"] = a.Command }, a.Primary)).ToList()));

    private static AcElement RenderForm(Form form, bool separator)
    {
        var items = new List<AcElement> { new AcTextBlock(Escape(form.Title)) { Weight = AcFontWeight.Bolder, Size = AcFontSize.Medium, Wrap = true } };
        foreach (var field in form.Fields)
        {
            items.Add(field.Kind switch
            {
                FormFieldKind.Number => new AcInputNumber(field.Id)
                {
                    Label = field.Label,
                    Min = field.Min,
                    Max = field.Max,
                    Placeholder = field.Placeholder,
                    Value = double.TryParse(field.Value, NumberStyles.Float, Invariant, out var number) ? number : null,
                    IsRequired = field.Required ? true : null,
                    ErrorMessage = NumberError(field),
                },
                FormFieldKind.Date => new AcInputDate(field.Id)
                {
                    Label = field.Label,
                    Value = field.Value,
                    IsRequired = field.Required ? true : null,
                    ErrorMessage = field.Required ? $"{field.Label} is required (a date such as 2026-12-01)." : null,
                },
                _ => new AcInputText(field.Id)
                {
                    Label = field.Label,
                    Placeholder = field.Placeholder,
                    Value = field.Value,
                    IsRequired = field.Required ? true : null,
                    ErrorMessage = field.Required ? $"{field.Label} is required." : null,
                },
            });
        }

        items.Add(new AcActionSet([Button(form.SubmitTitle, FormVerb, new Dictionary<string, string> { ["formId"] = form.FormId }, primary: true)]));
        return new AcContainer(items) { Separator = separator ? true : null, Spacing = separator ? AcSpacing.Medium : null };
    }

    private static string? NumberError(FormField field)
    {
        var bounds = (field.Min, field.Max) switch
        {
            ({ } min, { } max) => $"a whole number from {ReplyFormatting.Number(min)} to {ReplyFormatting.Number(max)}",
            ({ } min, null) => $"a whole number of at least {ReplyFormatting.Number(min)}",
            (null, { } max) => $"a whole number up to {ReplyFormatting.Number(max)}",
            _ => "a whole number",
        };
        return $"{field.Label}: enter {bounds}.";
    }

    private static AcExecuteAction Button(string title, string verb, IReadOnlyDictionary<string, string> data, bool primary)
    {
        var style = primary ? AcActionStyle.Positive : (AcActionStyle?)null;
        return new AcExecuteAction(title, verb, data)
        {
            Style = style,
            // Hosts without Universal Actions (pre-1.4) post the same data as a message instead.
            Fallback = new AcSubmitAction(title, data) { Style = style },
        };
    }

    private static AcTableCell Cell(AcElement element) => new([element]);

    private static AcTextBlock Text(string text, Tone tone) => new(Escape(text))
    {
        Wrap = true,
        Color = ColorOf(tone),
        IsSubtle = tone == Tone.Muted ? true : null,
    };

    private static AcColor? ColorOf(Tone tone) => tone switch
    {
        Tone.Good => AcColor.Good,
        Tone.Warning => AcColor.Warning,
        Tone.Attention => AcColor.Attention,
        _ => null,
    };

    private static AcContainerStyle? StyleOf(Tone tone) => tone switch
    {
        Tone.Good => AcContainerStyle.Good,
        Tone.Warning => AcContainerStyle.Warning,
        Tone.Attention => AcContainerStyle.Attention,
        _ => AcContainerStyle.Emphasis,
    };

    private static AcContainerStyle? RowStyleOf(Tone tone) => tone switch
    {
        Tone.Good => AcContainerStyle.Good,
        Tone.Warning => AcContainerStyle.Warning,
        Tone.Attention => AcContainerStyle.Attention,
        _ => null,
    };

    /// <summary>
    /// Escapes the markdown subset TextBlocks interpret (https://aka.ms/ACTextFeatures) so reply text shows
    /// literally: emphasis and link characters get a backslash, and a line that would start a list is protected.
    /// </summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.AsSpan().IndexOfAny("*_[]`\\-+0123456789") < 0)
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 8);
        var lineStart = true;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (lineStart && (c is '-' or '+') && i + 1 < text.Length && text[i + 1] == ' ')
            {
                escaped.Append('\\');
            }
            else if (lineStart && char.IsAsciiDigit(c))
            {
                // "1. Call Anna" would become a numbered list: escape the dot after the leading digits.
                var j = i;
                while (j < text.Length && char.IsAsciiDigit(text[j]))
                {
                    j++;
                }

                if (j + 1 < text.Length && text[j] == '.' && text[j + 1] == ' ')
                {
                    escaped.Append(text, i, j - i).Append("\\.");
                    i = j;
                    lineStart = false;
                    continue;
                }
            }

            if (c is '*' or '_' or '[' or ']' or '`' or '\\')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
            lineStart = c == '\n';
        }

        return escaped.ToString();
    }
}
