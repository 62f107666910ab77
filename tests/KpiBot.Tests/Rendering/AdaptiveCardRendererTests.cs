using System.Text;
using System.Text.Json.Nodes;
using Json.Schema;
using KpiBot.Rendering;
using KpiBot.Rendering.AdaptiveCards;
using KpiBot.Replies;

namespace KpiBot.Tests.Rendering;

public sealed class AdaptiveCardRendererTests
{
    private static readonly AdaptiveCardOptions Images = new(NativeCharts: false);
    private static readonly AdaptiveCardOptions Native = new(NativeCharts: true);
    private readonly RecordingChartImages charts = new();
    private readonly AdaptiveCardRenderer renderer;

    public AdaptiveCardRendererTests() => renderer = new AdaptiveCardRenderer(charts);

    [Theory]
    [MemberData(nameof(SampleReplies.Names), MemberType = typeof(SampleReplies))]
    public void Every_reply_renders_to_a_card_that_validates_against_the_official_1_5_schema(string name)
    {
        var card = renderer.Render(SampleReplies.All[name], Images);

        AssertValid(card);
        Assert.Equal("1.5", card["version"]!.GetValue<string>());
        Assert.Equal("http://adaptivecards.io/schemas/adaptive-card.json", card["$schema"]!.GetValue<string>());
        Assert.Equal(SampleReplies.All[name].Summary, card["fallbackText"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(SampleReplies.Names), MemberType = typeof(SampleReplies))]
    public void Every_reply_stays_under_the_28_KB_card_budget(string name)
    {
        var card = renderer.Render(SampleReplies.All[name], Native);

        Assert.True(Encoding.UTF8.GetByteCount(card.ToJsonString()) <= AdaptiveCardRenderer.MaxCardBytes, $"{name} is {card.ToJsonString().Length} characters");
    }

    [Theory]
    [InlineData(nameof(SampleReplies.Trend), "Chart.Line")]
    [InlineData(nameof(SampleReplies.Funnel), "Chart.HorizontalBar")]
    [InlineData(nameof(SampleReplies.Team), "Chart.VerticalBar.Grouped")]
    [InlineData(nameof(SampleReplies.Forecast), "Chart.VerticalBar")]
    public void Native_charts_use_the_Teams_chart_element_with_a_schema_valid_image_fallback(string name, string chartType)
    {
        var card = renderer.Render(SampleReplies.All[name], Native);

        var chart = Elements(card).Single(e => e["type"]!.GetValue<string>().StartsWith("Chart.", StringComparison.Ordinal));
        Assert.Equal(chartType, chart["type"]!.GetValue<string>());
        var fallback = chart["fallback"]!.AsObject();
        Assert.Equal("Image", fallback["type"]!.GetValue<string>());
        Assert.StartsWith("https://kpibot.example.com/charts/", fallback["url"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(fallback["altText"]!.GetValue<string>()));

        // The card a host without Teams charts effectively shows: every chart replaced by its fallback.
        AssertValid(ReplaceChartsWithFallbacks(card));
    }

    [Fact]
    public void Native_line_chart_leaves_out_gap_weeks_and_keeps_the_fitted_series()
    {
        var card = renderer.Render(SampleReplies.Trend, Native);

        var chart = Elements(card).Single(e => e["type"]!.GetValue<string>() == "Chart.Line");
        var series = chart["data"]!.AsArray();
        Assert.Equal(["Revenue won", "Trend"], series.Select(s => s!["legend"]!.GetValue<string>()));
        var actual = series[0]!["values"]!.AsArray();
        Assert.Equal(7, actual.Count); // W43 is null (away) and is left out
        Assert.DoesNotContain(actual, p => p!["x"]!.GetValue<string>() == "W43");
        Assert.Equal(8, series[1]!["values"]!.AsArray().Count);
        Assert.Equal("ISO week", chart["xAxisTitle"]!.GetValue<string>());
    }

    [Fact]
    public void Without_native_charts_a_chart_is_just_the_png_image()
    {
        var card = renderer.Render(SampleReplies.Trend, Images);

        Assert.DoesNotContain(Elements(card), e => e["type"]!.GetValue<string>().StartsWith("Chart.", StringComparison.Ordinal));
        var image = Elements(card).Single(e => e["type"]!.GetValue<string>() == "Image");
        Assert.Equal("https://kpibot.example.com/charts/chart1.png", image["url"]!.GetValue<string>());
        Assert.Contains("Revenue won per week", image["altText"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Same(SampleReplies.Trend.Blocks.OfType<Chart>().Single(), charts.Registered.Single());
    }

    [Theory]
    [InlineData(Tone.Good, "good")]
    [InlineData(Tone.Warning, "warning")]
    [InlineData(Tone.Attention, "attention")]
    public void Heading_badge_is_coloured_by_its_tone(Tone tone, string expected)
    {
        var card = renderer.Render(new Reply("s", [new Heading("Anna", new Badge("State", tone))]), Images);

        var badgeColumn = card["body"]![0]!["columns"]![1]!;
        Assert.Equal(expected, badgeColumn["style"]!.GetValue<string>());
        Assert.Equal(expected, badgeColumn["items"]![0]!["color"]!.GetValue<string>());
        Assert.Equal("State", badgeColumn["items"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void Buttons_are_Action_Execute_with_the_command_and_fall_back_to_Action_Submit_with_the_same_data()
    {
        var card = renderer.Render(SampleReplies.Trend, Images);

        var actions = Elements(card).Single(e => e["type"]!.GetValue<string>() == "ActionSet")["actions"]!.AsArray();
        Assert.Equal(2, actions.Count);
        var first = actions[0]!;
        Assert.Equal("Action.Execute", first["type"]!.GetValue<string>());
        Assert.Equal("command", first["verb"]!.GetValue<string>());
        Assert.Equal("funnel for Anna", first["data"]!["command"]!.GetValue<string>());
        Assert.Equal("positive", first["style"]!.GetValue<string>());
        Assert.Equal("Action.Submit", first["fallback"]!["type"]!.GetValue<string>());
        Assert.Equal("funnel for Anna", first["fallback"]!["data"]!["command"]!.GetValue<string>());
        Assert.Null(actions[1]!["style"]);
    }

    [Fact]
    public void Many_buttons_are_spread_over_action_sets_of_at_most_five()
    {
        var card = renderer.Render(SampleReplies.HugeTable, Images);

        var sets = Elements(card).Where(e => e["type"]!.GetValue<string>() == "ActionSet").ToList();
        Assert.All(sets, s => Assert.InRange(s["actions"]!.AsArray().Count, 1, AdaptiveCardRenderer.MaxActionsPerSet));
        Assert.Equal(30, sets.Sum(s => s["actions"]!.AsArray().Count));
    }

    [Fact]
    public void Form_becomes_bounded_inputs_and_a_submit_carrying_the_form_id()
    {
        var card = renderer.Render(SampleReplies.LogForm, Images);

        var elements = Elements(card).ToList();
        var booked = elements.Single(e => e["id"]?.GetValue<string>() == "booked");
        Assert.Equal("Input.Number", booked["type"]!.GetValue<string>());
        Assert.Equal(0, booked["min"]!.GetValue<double>());
        Assert.Equal(200, booked["max"]!.GetValue<double>());
        Assert.Equal("Meetings booked", booked["label"]!.GetValue<string>());
        Assert.Contains("from 0 to 200", booked["errorMessage"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(2, elements.Single(e => e["id"]?.GetValue<string>() == "qualified")["value"]!.GetValue<double>());
        Assert.Equal("Input.Date", elements.Single(e => e["id"]?.GetValue<string>() == "date")["type"]!.GetValue<string>());
        Assert.Equal("Input.Text", elements.Single(e => e["id"]?.GetValue<string>() == "note")["type"]!.GetValue<string>());

        var submit = elements.Single(e => e["type"]!.GetValue<string>() == "ActionSet")["actions"]![0]!;
        Assert.Equal("form", submit["verb"]!.GetValue<string>());
        Assert.Equal("log-daily", submit["data"]!["formId"]!.GetValue<string>());
        Assert.Equal("log-daily", submit["fallback"]!["data"]!["formId"]!.GetValue<string>());
    }

    [Fact]
    public void Funnel_rows_show_counts_rates_intervals_and_mark_the_bottleneck_and_the_flagged_step()
    {
        var card = renderer.Render(SampleReplies.Funnel, Images);

        var table = Elements(card).Single(e => e["type"]!.GetValue<string>() == "Table");
        var rows = table["rows"]!.AsArray();
        Assert.Equal(6, rows.Count); // header + 5 steps
        var texts = rows.Select(r => string.Join(" | ", Elements(r!).Where(e => e["text"] is not null).Select(e => e["text"]!.GetValue<string>()))).ToList();
        Assert.Equal("Phase | Count | Conversion | 95 % interval", texts[0]);
        Assert.Equal("Meetings booked | 40 | — | ", texts[1]);
        Assert.Equal("Meetings held | 32 | 80 % | 65–90 %", texts[2]);
        Assert.Contains("bottleneck", texts[3], StringComparison.Ordinal);
        Assert.Equal("attention", rows[3]!["style"]!.GetValue<string>());
        Assert.Contains("120 %", texts[4], StringComparison.Ordinal);
        Assert.Contains("more than the previous phase", texts[4], StringComparison.Ordinal);
        Assert.Equal("warning", rows[4]!["style"]!.GetValue<string>());
    }

    [Fact]
    public void A_huge_table_is_cut_with_a_note_so_the_card_fits()
    {
        var card = renderer.Render(SampleReplies.HugeTable, Images);

        var table = Elements(card).Single(e => e["type"]!.GetValue<string>() == "Table");
        var shown = table["rows"]!.AsArray().Count - 1;
        Assert.InRange(shown, 1, 59);
        Assert.Contains(Elements(card), e => e["text"]?.GetValue<string>() == ReplyFormatting.RowsCutNote(shown, 60));
        AssertValid(card);
    }

    [Fact]
    public void Table_rows_are_coloured_by_tone()
    {
        var card = renderer.Render(SampleReplies.Team, Images);

        var rows = Elements(card).Single(e => e["type"]!.GetValue<string>() == "Table")["rows"]!.AsArray();
        Assert.Equal(["warning", "good", "attention"], rows.Skip(1).Take(3).Select(r => r!["style"]!.GetValue<string>()));
        Assert.Null(rows[4]!["style"]);
    }

    [Theory]
    [InlineData("Tom & Jerry", "Tom & Jerry")]
    [InlineData("*bold* _it_ [x](y)", "\\*bold\\* \\_it\\_ \\[x\\](y)")]
    [InlineData("- not a list", "\\- not a list")]
    [InlineData("1. not a list", "1\\. not a list")]
    [InlineData("−4.2 %/week", "−4.2 %/week")]
    public void Text_is_escaped_so_markdown_characters_show_literally(string text, string expected) =>
        Assert.Equal(expected, AdaptiveCardRenderer.Escape(text));

    private static void AssertValid(JsonObject card)
    {
        var result = SchemaFiles.AdaptiveCard.Evaluate(card, new EvaluationOptions { OutputFormat = OutputFormat.List });
        var errors = result.Details.Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")).Take(10);
        Assert.True(result.IsValid, "Card does not validate:\n" + string.Join('\n', errors) + "\n" + card.ToJsonString());
    }

    private static JsonObject ReplaceChartsWithFallbacks(JsonObject card)
    {
        var copy = card.DeepClone().AsObject();
        Replace(copy);
        return copy;

        static void Replace(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var (key, value) in obj.ToList())
                    {
                        if (value is JsonObject child && child["type"]?.GetValue<string>()?.StartsWith("Chart.", StringComparison.Ordinal) == true)
                        {
                            obj[key] = child["fallback"]!.DeepClone();
                        }

                        Replace(obj[key]);
                    }

                    break;
                case JsonArray array:
                    for (var i = 0; i < array.Count; i++)
                    {
                        if (array[i] is JsonObject child && child["type"]?.GetValue<string>()?.StartsWith("Chart.", StringComparison.Ordinal) == true)
                        {
                            array[i] = child["fallback"]!.DeepClone();
                        }

                        Replace(array[i]);
                    }

                    break;
            }
        }
    }

    /// <summary>Every object with a "type" below <paramref name="node"/>, depth first.</summary>
    internal static IEnumerable<JsonObject> Elements(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (key == "fallback" || value is null)
                    {
                        continue;
                    }

                    if (value is JsonObject child && child["type"] is not null)
                    {
                        yield return child;
                    }

                    foreach (var inner in Elements(value))
                    {
                        yield return inner;
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    if (item is JsonObject child && child["type"] is not null)
                    {
                        yield return child;
                    }

                    if (item is not null)
                    {
                        foreach (var inner in Elements(item))
                        {
                            yield return inner;
                        }
                    }
                }

                break;
        }
    }
}
