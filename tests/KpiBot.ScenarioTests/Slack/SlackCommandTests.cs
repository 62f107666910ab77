using System.Net;
using System.Text.Json.Nodes;
using KpiBot.Conversation;
using KpiBot.Domain;
using KpiBot.Replies;

namespace KpiBot.ScenarioTests.Slack;

/// <summary>The <c>/kpi</c> slash command: acknowledged at once, the card follows.</summary>
public sealed class SlackCommandTests : IDisposable
{
    private readonly SlackTestHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task A_signed_log_command_is_acknowledged_stored_once_and_the_card_replaces_the_acknowledgement()
    {
        var response = await _host.CommandAsync("log booked 5 held 3");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ack = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("ephemeral", (string?)ack["response_type"]);
        Assert.Equal("Working on it…", (string?)ack["text"]);

        await _host.IdleAsync();
        var message = Assert.Single(_host.Bot.Messages);
        Assert.Equal(Platform.Slack, message.Platform);
        Assert.Equal("slack:T1DC2JH3J", message.WorkspaceId);
        Assert.Equal("U2CERLKJA", message.UserId);
        Assert.Equal("Anna", message.UserName);
        Assert.Equal("Europe/Stockholm", message.TimeZoneId);
        Assert.Equal("log booked 5 held 3", message.Text);
        Assert.Equal("C0SALES", message.ConversationId);
        Assert.Equal(ConversationKind.Channel, message.Kind);

        Assert.Equal([("booked", 5m), ("held", 3m)], _host.Store.Entries.Select(e => (e.Metric, e.Value)).ToArray());

        var card = Assert.Single(_host.Slack.CallsTo("response_url"));
        Assert.Equal("https://hooks.slack.com/commands/T1DC2JH3J/397700885554/96rGlfmibIGlgcZRskXaIFfN", card.Uri.ToString());
        Assert.Null(card.Authorization);
        Assert.Equal("ephemeral", (string?)card.Json["response_type"]);
        Assert.True((bool?)card.Json["replace_original"]);
        Assert.Equal("Logged booked 5, held 3", (string?)card.Json["text"]);
        Assert.Equal("header", (string?)card.Json["blocks"]![0]!["type"]);
        SlackAssert.WithinBlockKitLimits(_host.Slack);

        // users.info was asked with the bot token; the channel is remembered for nudges.
        Assert.Equal("Bearer xoxb-test-token", Assert.Single(_host.Slack.CallsTo("users.info")).Authorization);
        var address = Assert.Single(_host.Directory.All);
        Assert.Equal(("C0SALES", ConversationKind.Channel, "slack:T1DC2JH3J"), (address.ConversationId, address.Kind, address.WorkspaceId));
    }

    [Fact]
    public async Task The_acknowledgement_does_not_wait_for_the_bot()
    {
        _host.Bot.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var response = await _host.CommandAsync("my stats");

        // The bot is still blocked, yet Slack already has its answer.
        Assert.Equal("Working on it…", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["text"]);
        Assert.Empty(_host.Slack.CallsTo("response_url"));
        _host.Bot.Gate.SetResult();
        await _host.IdleAsync();
        Assert.Single(_host.Slack.CallsTo("response_url"));
    }

    [Fact]
    public async Task The_same_command_delivered_twice_is_handled_once()
    {
        await _host.CommandAsync("log booked 5", trigger: "trig-dup");
        await _host.CommandAsync("log booked 5", trigger: "trig-dup");
        await _host.IdleAsync();

        Assert.Single(_host.Bot.Messages);
        Assert.Single(_host.Store.Entries);
    }

    [Fact]
    public async Task Conversation_replies_go_in_channel_and_past_five_response_url_posts_the_web_api_takes_over()
    {
        _host.Bot.Answer = _ => new BotResponse([.. Enumerable.Range(1, 7).Select(i => new Reply($"Part {i}", [new Paragraph($"Part {i}")], i == 1 ? ReplyVisibility.Conversation : ReplyVisibility.Private))]);

        await _host.CommandAsync("team");
        await _host.IdleAsync();

        var viaUrl = _host.Slack.CallsTo("response_url");
        Assert.Equal(5, viaUrl.Count);
        Assert.Equal("in_channel", (string?)viaUrl[0].Json["response_type"]);
        Assert.All(viaUrl.Skip(1), c => Assert.Equal("ephemeral", (string?)c.Json["response_type"]));
        // Parts 6 and 7 are private and the command came from a channel: ephemeral to the person.
        var ephemerals = _host.Slack.CallsTo("chat.postEphemeral");
        Assert.Equal(new[] { "Part 6", "Part 7" }, ephemerals.Select(c => (string)c.Json["text"]!).ToArray());
        Assert.All(ephemerals, c => Assert.Equal(("C0SALES", "U2CERLKJA"), ((string?)c.Json["channel"], (string?)c.Json["user"])));
    }

    [Fact]
    public async Task Kpi_alone_opens_the_logging_modal_with_the_trigger_before_acknowledging()
    {
        var response = await _host.CommandAsync("", trigger: "trig-modal");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        var open = Assert.Single(_host.Slack.CallsTo("views.open"));
        Assert.Equal("trig-modal", (string?)open.Json["trigger_id"]);
        var view = open.Json["view"]!;
        Assert.Equal("modal", (string?)view["type"]);
        Assert.Equal("kpibot_log", (string?)view["callback_id"]);
        var blockIds = view["blocks"]!.AsArray().Select(b => (string)b!["block_id"]!).ToArray();
        Assert.Equal(new[] { "date", "booked", "held", "qualified", "proposals" }, blockIds);
        await _host.IdleAsync();
        Assert.Empty(_host.Bot.Messages);
    }

    [Fact]
    public async Task When_the_modal_cannot_open_the_person_is_told_what_to_type_instead()
    {
        _host.Slack.Script("views.open", () => FakeSlackApi.Json("""{"ok":false,"error":"expired_trigger_id"}"""));

        var response = await _host.CommandAsync("");

        var ack = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("ephemeral", (string?)ack["response_type"]);
        Assert.Contains("/kpi log booked 5 held 3", (string?)ack["text"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bot_failure_is_reported_to_the_person_instead_of_silence()
    {
        _host.Bot.Answer = _ => throw new InvalidOperationException("boom");

        await _host.CommandAsync("my stats");
        await _host.IdleAsync();

        var notice = Assert.Single(_host.Slack.CallsTo("response_url"));
        Assert.Contains("KpiBot hit an error", (string?)notice.Json["text"], StringComparison.Ordinal);
    }
}
