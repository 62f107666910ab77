using System.Text.Json.Nodes;
using KpiBot.Rendering.BlockKit;
using KpiBot.Replies;

namespace KpiBot.Tests.Rendering;

public sealed class BlockKitRendererTests
{
    private readonly BlockKitRenderer renderer = new(new RecordingChartImages());

    [Theory]
    [MemberData(nameof(SampleReplies.Names), MemberType = typeof(SampleReplies))]
    public void Every_reply_respects_Slack_block_kit_limits(string name)
    {
        var message = renderer.Render(SampleReplies.All[name]);

        Assert.False(string.IsNullOrWhiteSpace(message.Text));
        Assert.InRange(message.Text.Length, 1, 3_000);
        Assert.InRange(message.Blocks.Count, 1, BlockKitRenderer.MaxBlocks);
        var actionIds = new List<string>();
        foreach (var block in message.Blocks.Select(b => b!.AsObject()))
        {
            switch (block["type"]!.GetValue<string>())
            {
                case "header":
                    Assert.Equal("plain_text", block["text"]!["type"]!.GetValue<string>());
                    Assert.InRange(block["text"]!["text"]!.GetValue<string>().Length, 1, 150);
                    break;
                case "section":
                    Assert.True(block["text"] is not null || block["fields"] is not null, "a section needs text or fields");
                    if (block["text"] is { } text)
                    {
                        Assert.InRange(text["text"]!.GetValue<string>().Length, 1, 3_000);
                    }

                    if (block["fields"] is JsonArray fields)
                    {
                        Assert.InRange(fields.Count, 1, 10);
                        Assert.All(fields, f => Assert.InRange(f!["text"]!.GetValue<string>().Length, 1, 2_000));
                    }

                    break;
                case "context":
                    Assert.InRange(block["elements"]!.AsArray().Count, 1, 10);
                    Assert.All(block["elements"]!.AsArray(), e => Assert.InRange(e!["text"]!.GetValue<string>().Length, 1, 3_000));
                    break;
                case "actions":
                    var elements = block["elements"]!.AsArray();
                    Assert.InRange(elements.Count, 1, 25);
                    foreach (var button in elements)
                    {
                        Assert.Equal("button", button!["type"]!.GetValue<string>());
                        Assert.InRange(button["text"]!["text"]!.GetValue<string>().Length, 1, 75);
                        Assert.InRange(button["value"]!.GetValue<string>().Length, 1, 2_000);
                        actionIds.Add(button["action_id"]!.GetValue<string>());
                    }

                    break;
                case "image":
                    Assert.StartsWith("https://", block["image_url"]!.GetValue<string>(), StringComparison.Ordinal);
                    Assert.InRange(block["alt_text"]!.GetValue<string>().Length, 1, 2_000);
                    break;
                case "divider":
                    break;
                default:
                    Assert.Fail("unexpected block type " + block["type"]);
                    break;
            }
        }

        Assert.Equal(actionIds.Count, actionIds.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Buttons_carry_a_numbered_action_id_and_the_command_as_value()
    {
        var message = renderer.Render(SampleReplies.Trend);

        var buttons = message.Blocks.Single(b => b!["type"]!.GetValue<string>() == "actions")!["elements"]!.AsArray();
        Assert.Equal(["command:1", "command:2"], buttons.Select(b => b!["action_id"]!.GetValue<string>()));
        Assert.Equal(["funnel for Anna", "team status"], buttons.Select(b => b!["value"]!.GetValue<string>()));
        Assert.Equal("primary", buttons[0]!["style"]!.GetValue<string>());
        Assert.Null(buttons[1]!["style"]);
    }

    [Fact]
    public void Heading_with_badge_becomes_a_header_with_the_state()
    {
        var message = renderer.Render(SampleReplies.Trend);

        Assert.Equal("Anna Berg — revenue won · 🟠 Crisis", message.Blocks[0]!["text"]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void A_chart_is_an_image_block_with_its_public_url_and_alt_text()
    {
        var message = renderer.Render(SampleReplies.Trend);

        var image = message.Blocks.Single(b => b!["type"]!.GetValue<string>() == "image")!;
        Assert.Equal("https://kpibot.example.com/charts/chart1.png", image["image_url"]!.GetValue<string>());
        Assert.Contains("Revenue won: 120,000 to 92,000", image["alt_text"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void Funnel_lines_show_rate_interval_bottleneck_and_flag()
    {
        var message = renderer.Render(SampleReplies.Funnel);

        var text = string.Join('\n', message.Blocks.Where(b => b!["type"]!.GetValue<string>() == "section").Select(b => b!["text"]!["text"]!.GetValue<string>()));
        Assert.Contains("*Meetings held*: 32 · 80 % conversion (95 % interval 65–90 %)", text, StringComparison.Ordinal);
        Assert.Contains(":red_circle: *Qualified leads*: 10 · 31.3 % conversion", text, StringComparison.Ordinal);
        Assert.Contains("_bottleneck_", text, StringComparison.Ordinal);
        Assert.Contains(":warning: *Proposals sent*: 12 · 120 % conversion", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Mrkdwn_escapes_ampersand_and_angle_brackets_so_no_mention_or_link_can_be_injected()
    {
        var message = renderer.Render(SampleReplies.Hostile);

        var json = message.Blocks.ToJsonString();
        var sectionText = message.Blocks.First(b => b!["type"]!.GetValue<string>() == "section" && b["text"] is not null)!["text"]!["text"]!.GetValue<string>();
        Assert.Equal("Tom &amp; Jerry &lt;script&gt;alert(1)&lt;/script&gt; &lt;!channel&gt; *bold* _it_ [link](http://x)", sectionText);
        Assert.Equal("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;@U123&gt;", message.Text);
        Assert.DoesNotContain("<!channel>", json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_5000_character_paragraph_is_split_over_sections_without_losing_text()
    {
        var paragraph = SampleReplies.HugeText.Blocks.OfType<Paragraph>().Single().Text;

        var message = renderer.Render(new Reply("long", [new Paragraph(paragraph)]));

        var texts = message.Blocks.Select(b => b!["text"]!["text"]!.GetValue<string>()).ToList();
        Assert.True(texts.Count >= 2);
        Assert.Equal(
            BlockKitRenderer.EscapeMrkdwn(paragraph).Replace(" ", string.Empty, StringComparison.Ordinal),
            string.Concat(texts).Replace(" ", string.Empty, StringComparison.Ordinal));
    }

    [Fact]
    public void Sixty_table_rows_are_all_shown_over_several_sections()
    {
        var message = renderer.Render(SampleReplies.HugeTable);

        var text = string.Join('\n', message.Blocks.Where(b => b!["type"]!.GetValue<string>() == "section").Select(b => b!["text"]!["text"]!.GetValue<string>()));
        Assert.Contains("*Salesperson number 1 with a fairly long name*", text, StringComparison.Ordinal);
        Assert.Contains(":red_circle: *Salesperson number 60 with a fairly long name*", text, StringComparison.Ordinal);
        // 30 buttons do not fit one actions block (25): two blocks, all buttons kept.
        Assert.Equal(30, message.Blocks.Where(b => b!["type"]!.GetValue<string>() == "actions").Sum(b => b!["elements"]!.AsArray().Count));
    }

    [Fact]
    public void More_than_50_blocks_are_cut_with_a_note_and_the_buttons_kept()
    {
        var message = renderer.Render(SampleReplies.ManyBlocks);

        Assert.Equal(50, message.Blocks.Count);
        Assert.Equal("actions", message.Blocks[^1]!["type"]!.GetValue<string>());
        Assert.Contains("more parts of this reply did not fit", message.Blocks[^2]!["elements"]![0]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_form_in_a_message_is_a_button_that_opens_its_modal()
    {
        var message = renderer.Render(SampleReplies.LogForm);

        var button = message.Blocks.Single(b => b!["type"]!.GetValue<string>() == "actions")!["elements"]![0]!;
        Assert.Equal("form:log-daily", button["action_id"]!.GetValue<string>());
        Assert.Equal("log-daily", button["value"]!.GetValue<string>());
    }

    [Fact]
    public void Modal_has_one_input_block_per_field_keyed_by_field_id()
    {
        var form = SampleReplies.LogForm.Blocks.OfType<Form>().Single();

        var view = renderer.RenderModal(form, "log-daily", "{\"day\":\"2026-12-04\"}");

        Assert.Equal("modal", view["type"]!.GetValue<string>());
        Assert.Equal("log-daily", view["callback_id"]!.GetValue<string>());
        Assert.Equal("{\"day\":\"2026-12-04\"}", view["private_metadata"]!.GetValue<string>());
        Assert.InRange(view["title"]!["text"]!.GetValue<string>().Length, 1, 24);
        Assert.Equal("Log", view["submit"]!["text"]!.GetValue<string>());
        var blocks = view["blocks"]!.AsArray();
        Assert.Equal(["booked", "held", "qualified", "date", "note"], blocks.Select(b => b!["block_id"]!.GetValue<string>()));
        Assert.All(blocks, b => Assert.Equal("input", b!["type"]!.GetValue<string>()));
        var booked = blocks[0]!["element"]!;
        Assert.Equal("number_input", booked["type"]!.GetValue<string>());
        Assert.False(booked["is_decimal_allowed"]!.GetValue<bool>());
        Assert.Equal("0", booked["min_value"]!.GetValue<string>());
        Assert.Equal("200", booked["max_value"]!.GetValue<string>());
        Assert.Equal("value", booked["action_id"]!.GetValue<string>());
        Assert.True(blocks[0]!["optional"]!.GetValue<bool>());
        Assert.Equal("2", blocks[2]!["element"]!["initial_value"]!.GetValue<string>());
        Assert.Equal("datepicker", blocks[3]!["element"]!["type"]!.GetValue<string>());
        Assert.Null(blocks[3]!["optional"]);
        Assert.Equal("plain_text_input", blocks[4]!["element"]!["type"]!.GetValue<string>());
    }
}
