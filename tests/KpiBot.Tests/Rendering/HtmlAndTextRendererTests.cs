using KpiBot.Rendering;
using KpiBot.Replies;

namespace KpiBot.Tests.Rendering;

public sealed class HtmlAndTextRendererTests
{
    private readonly RecordingChartImages charts = new();

    [Fact]
    public void Html_escapes_script_tags_and_attribute_breakouts()
    {
        var html = new HtmlRenderer(charts).Render(SampleReplies.Hostile);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("data-command=\"funnel for &quot;&lt;Anna&gt;&quot;\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(SampleReplies.Names), MemberType = typeof(SampleReplies))]
    public void Html_of_every_reply_is_balanced(string name)
    {
        var html = new HtmlRenderer(charts).Render(SampleReplies.All[name]);

        foreach (var tag in new[] { "div", "table", "tr", "section", "form", "ul", "li", "dl", "p", "h3", "h4", "figure", "button", "label" })
        {
            Assert.Equal(Count(html, "<" + tag + " ") + Count(html, "<" + tag + ">"), Count(html, "</" + tag + ">"));
        }
    }

    [Fact]
    public void Html_shows_badge_chart_buttons_and_form_for_the_page_to_wire_up()
    {
        var renderer = new HtmlRenderer(charts);

        var trend = renderer.Render(SampleReplies.Trend);
        var form = renderer.Render(SampleReplies.LogForm);

        Assert.Contains("<span class=\"kb-badge kb-warning\">Crisis</span>", trend, StringComparison.Ordinal);
        Assert.Contains("<img src=\"/charts/chart1.png\"", trend, StringComparison.Ordinal);
        Assert.Contains("<button type=\"button\" class=\"kb-action kb-primary\" data-command=\"funnel for Anna\">Funnel for Anna</button>", trend, StringComparison.Ordinal);
        Assert.Contains("<form class=\"kb-form\" data-form-id=\"log-daily\">", form, StringComparison.Ordinal);
        Assert.Contains("<input type=\"number\" name=\"booked\" step=\"1\" inputmode=\"numeric\" min=\"0\" max=\"200\" placeholder=\"0\">", form, StringComparison.Ordinal);
        Assert.Contains("<input type=\"date\" name=\"date\" value=\"2026-12-04\" required>", form, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_funnel_marks_the_bottleneck_and_flagged_rows()
    {
        var html = new HtmlRenderer(charts).Render(SampleReplies.Funnel);

        Assert.Contains("<tr class=\"kb-bottleneck\"><th scope=\"row\">Qualified leads <span class=\"kb-badge kb-attention\">bottleneck</span></th><td>10</td><td>31.3 %</td>", html, StringComparison.Ordinal);
        Assert.Contains("<tr class=\"kb-flagged\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_renders_an_aligned_funnel_with_remarks()
    {
        var text = new TextRenderer().Render(SampleReplies.Funnel);

        var lines = text.Split('\n');
        Assert.Equal("Funnel — Anna Berg", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("Meetings held    32     80 %        65–90 %", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Qualified leads", StringComparison.Ordinal) && l.EndsWith("bottleneck", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Proposals sent", StringComparison.Ordinal) && l.Contains("more than the previous phase", StringComparison.Ordinal));
    }

    [Fact]
    public void Text_renders_heading_badge_facts_and_the_commands_of_buttons()
    {
        var text = new TextRenderer().Render(SampleReplies.Trend);

        Assert.StartsWith("Anna Berg — revenue won [Crisis]\n", text, StringComparison.Ordinal);
        Assert.Contains("Relative slope: −4.2 %/week", text, StringComparison.Ordinal);
        Assert.Contains("[chart] Line chart \"Revenue won per week\" with 8 points by iso week (W40 to W47)", text, StringComparison.Ordinal);
        Assert.Contains("Try: \"funnel for Anna\" | \"team status\"", text, StringComparison.Ordinal);
    }

    private static int Count(string text, string what)
    {
        var count = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}

/// <summary>Mentions in a channel nudge: notified in Slack, named everywhere else.</summary>
public sealed class MentionRenderingTests
{
    [Fact]
    public void Slack_mentions_slack_users_by_id_and_names_the_rest_escaped()
    {
        var message = new KpiBot.Rendering.BlockKit.BlockKitRenderer(new RecordingChartImages()).Render(SampleReplies.Nudge);
        var json = message.Blocks.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        Assert.Contains("Not logged yet this week: <@U024BE7LH>, Bob &lt;Ek&gt;", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_html_and_cards_show_the_names()
    {
        Assert.Contains("Not logged yet this week: Anna Berg, Bob <Ek>", new KpiBot.Rendering.TextRenderer().Render(SampleReplies.Nudge), StringComparison.Ordinal);
        Assert.Contains("<strong>Anna Berg</strong>, <strong>Bob &lt;Ek&gt;</strong>", new KpiBot.Rendering.HtmlRenderer(new RecordingChartImages()).Render(SampleReplies.Nudge), StringComparison.Ordinal);
        var card = new KpiBot.Rendering.AdaptiveCards.AdaptiveCardRenderer(new RecordingChartImages()).Render(SampleReplies.Nudge, new KpiBot.Rendering.AdaptiveCardOptions(NativeCharts: true)).ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        Assert.Contains("Not logged yet this week: Anna Berg, Bob", card, StringComparison.Ordinal);
        Assert.DoesNotContain("can't be shown", card, StringComparison.Ordinal);
    }
}
