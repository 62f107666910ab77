using System.Text.Json.Nodes;
using KpiBot.Channels.Slack;
using KpiBot.Rendering;

namespace KpiBot.ScenarioTests.Slack;

/// <summary>The last guard before a message leaves: Slack refuses a whole message for one field too long.</summary>
public sealed class SlackBlockKitLimitsTests
{
    private static JsonObject Section(string text) => new() { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = text } };

    [Fact]
    public void A_message_inside_the_limits_is_sent_unchanged()
    {
        var message = new SlackMessage("Hi", [Section("Hello")]);

        var fitted = SlackBlockKitLimits.Fit(message);

        Assert.Same(message.Blocks, fitted.Blocks);
        Assert.Empty(SlackBlockKitLimits.Violations(fitted.Text, fitted.Blocks));
    }

    [Fact]
    public void Too_many_blocks_are_cut_to_fifty_with_a_note_saying_what_was_left_out()
    {
        var blocks = new JsonArray([.. Enumerable.Range(1, 70).Select(i => (JsonNode)Section($"Person {i}"))]);

        var fitted = SlackBlockKitLimits.Fit(new SlackMessage("Team", blocks));

        Assert.Equal(50, fitted.Blocks.Count);
        Assert.Equal("Person 49", (string?)fitted.Blocks[48]!["text"]!["text"]);
        Assert.Contains("21 more parts did not fit", (string?)fitted.Blocks[49]!["elements"]![0]!["text"], StringComparison.Ordinal);
        Assert.Empty(SlackBlockKitLimits.Violations(fitted.Text, fitted.Blocks));
    }

    [Fact]
    public void Over_long_texts_are_shortened_with_an_ellipsis_and_a_missing_fallback_is_filled()
    {
        var blocks = new JsonArray(
            new JsonObject { ["type"] = "header", ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = new string('H', 200) } },
            Section(new string('s', 3500)),
            new JsonObject { ["type"] = "section", ["fields"] = new JsonArray([.. Enumerable.Range(0, 12).Select(_ => (JsonNode)new JsonObject { ["type"] = "mrkdwn", ["text"] = new string('f', 2100) })]) },
            new JsonObject { ["type"] = "actions", ["elements"] = new JsonArray([.. Enumerable.Range(0, 30).Select(i => (JsonNode)new JsonObject { ["type"] = "button", ["action_id"] = $"a{i}", ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = new string('b', 90) }, ["value"] = "help" })]) },
            new JsonObject { ["type"] = "image", ["image_url"] = "https://kpibot.test/charts/1.png", ["alt_text"] = new string('a', 2500) });
        Assert.NotEmpty(SlackBlockKitLimits.Violations("", blocks));

        var fitted = SlackBlockKitLimits.Fit(new SlackMessage("", blocks));

        Assert.Empty(SlackBlockKitLimits.Violations(fitted.Text, fitted.Blocks));
        Assert.Equal("KpiBot", fitted.Text);
        var header = (string)fitted.Blocks[0]!["text"]!["text"]!;
        Assert.Equal(150, header.Length);
        Assert.EndsWith("…", header, StringComparison.Ordinal);
        Assert.Equal(10, fitted.Blocks[2]!["fields"]!.AsArray().Count);
        Assert.Equal(25, fitted.Blocks[3]!["elements"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("""{"type":"image","image_url":"charts/1.png","alt_text":"trend"}""", "image_url")]
    [InlineData("""{"type":"image","image_url":"https://kpibot.test/c.png"}""", "alt_text")]
    [InlineData("""{"type":"section"}""", "neither text nor fields")]
    [InlineData("""{"type":"actions","elements":[]}""", "actions has 0 elements")]
    [InlineData("""{"type":"carousel"}""", "unknown type")]
    public void Blocks_slack_would_refuse_are_named(string block, string problem)
    {
        var problems = SlackBlockKitLimits.Violations("text", [JsonNode.Parse(block)]);

        Assert.Contains(problems, p => p.Contains(problem, StringComparison.Ordinal));
    }
}
