using KpiBot.Channels;
using KpiBot.Conversation;
using KpiBot.Domain;
using KpiBot.Replies;
using Microsoft.Extensions.DependencyInjection;

namespace KpiBot.ScenarioTests.Slack;

/// <summary>
/// Whatever the bot answers, what KpiBot sends to Slack stays inside Block Kit's limits: every kind of
/// reply block, at sizes well past the limits, through every way a reply leaves (response_url, Web API,
/// App Home, proactive send). The renderer has its own tests; these check what actually goes out.
/// </summary>
public sealed class SlackBlockKitOutputTests : IDisposable
{
    private readonly SlackTestHost _host = new();

    public void Dispose() => _host.Dispose();

    /// <summary>One reply holding every kind of block, many of them oversized.</summary>
    public static Reply EveryKind(ReplyVisibility visibility = ReplyVisibility.Private)
    {
        var weeks = Enumerable.Range(1, 12).Select(w => $"W{w}").ToList();
        return new Reply(
            new string('S', 45_000),
            [
                new Heading(new string('H', 300), new Badge("Danger", Tone.Attention)),
                new Paragraph(string.Join(" ", Enumerable.Repeat("A long paragraph <with> *markup* & more.", 400))),
                new Paragraph("muted", Tone.Muted),
                new FactList([.. Enumerable.Range(1, 30).Select(i => new Fact($"Fact {i}", new string('v', 300), Tone.Warning))]),
                new Table(["Person", .. weeks], [.. Enumerable.Range(1, 120).Select(r => new TableRow([$"Person {r}", .. weeks.Select(_ => "12")], r % 7 == 0 ? Tone.Attention : Tone.Default))]),
                new Funnel("Funnel", [
                    new FunnelStep("Booked", 40, null, null, null, false, false),
                    new FunnelStep("Held", 50, 1.25, 0.9, 1.4, false, true),
                    new FunnelStep("Qualified", 10, 0.2, 0.1, 0.35, true, false),
                ], "Held is larger than booked: check the numbers"),
                new Chart("Revenue per week", ChartKind.Line, weeks, [new ChartSeries("Revenue", [.. weeks.Select((_, i) => (double?)(i * 1000))]), new ChartSeries("Trend", [.. weeks.Select((_, i) => (double?)(i * 900))], IsFit: true)]),
                new CoachingList("Coaching", [.. Enumerable.Range(1, 20).Select(i => new CoachingItem(new string('a', 500), new string('e', 500)))]),
                new Actions([.. Enumerable.Range(1, 40).Select(i => new ReplyAction(new string('B', 100), $"funnel for person {i}", i == 1))]),
                new Form("log", "Log numbers", [new FormField("booked", "Meetings booked", FormFieldKind.Number, 0, 200)], "Log"),
            ],
            visibility);
    }

    [Fact]
    public async Task Every_kind_of_reply_fits_through_the_response_url_and_the_web_api()
    {
        _host.Bot.Answer = _ => new BotResponse([.. Enumerable.Range(0, 7).Select(i => EveryKind(i % 2 == 0 ? ReplyVisibility.Conversation : ReplyVisibility.Private))]);

        await _host.CommandAsync("team");
        await _host.EventAsync(SlackPayloads.Fixture("event_callback_app_mention.json"));
        await _host.IdleAsync();

        Assert.Equal(5, _host.Slack.CallsTo("response_url").Count);
        Assert.NotEmpty(_host.Slack.CallsTo("chat.postMessage"));
        Assert.NotEmpty(_host.Slack.CallsTo("chat.postEphemeral"));
        SlackAssert.WithinBlockKitLimits(_host.Slack);
    }

    [Fact]
    public async Task Every_kind_of_reply_fits_in_the_app_home()
    {
        _host.Bot.Answer = _ => new BotResponse([EveryKind(), EveryKind(), EveryKind()]);
        var envelope = System.Text.Json.Nodes.JsonNode.Parse(SlackPayloads.Fixture("event_callback_message_channel.json"))!.AsObject();
        envelope["event"] = new System.Text.Json.Nodes.JsonObject { ["type"] = "app_home_opened", ["user"] = "U234", ["tab"] = "home" };

        await _host.EventAsync(envelope.ToJsonString());
        await _host.IdleAsync();

        var blocks = Assert.Single(_host.Slack.CallsTo("views.publish")).Json["view"]!["blocks"]!.AsArray();
        Assert.Equal(100, blocks.Count);
        SlackAssert.WithinBlockKitLimits(_host.Slack);
    }

    [Fact]
    public async Task Every_kind_of_reply_fits_in_a_proactive_send()
    {
        var sender = _host.Services.GetServices<IProactiveSender>().Single(s => s.Platform == Platform.Slack);
        var to = new ConversationAddress("k", Platform.Slack, "slack:T1", "C0TEAM", ConversationKind.Channel, "team", null, null, new Dictionary<string, string>(), true, DateTimeOffset.UnixEpoch);

        var outcome = await sender.SendAsync(to, EveryKind(ReplyVisibility.Conversation), CancellationToken.None);

        Assert.Equal(SendStatus.Sent, outcome.Status);
        SlackAssert.WithinBlockKitLimits(_host.Slack);
    }
}
