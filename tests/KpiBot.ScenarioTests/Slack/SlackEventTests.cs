using System.Net;
using System.Text.Json.Nodes;
using KpiBot.Conversation;
using KpiBot.Replies;

namespace KpiBot.ScenarioTests.Slack;

/// <summary>The Events API: URL verification, mentions, DMs, the App Home; retries and bots ignored.</summary>
public sealed class SlackEventTests : IDisposable
{
    private readonly SlackTestHost _host = new();

    public void Dispose() => _host.Dispose();

    private static string WithEvent(string fixture, Action<JsonObject> change)
    {
        var json = JsonNode.Parse(SlackPayloads.Fixture(fixture))!.AsObject();
        change(json);
        return json.ToJsonString();
    }

    private static string DirectMessage(string text, string eventId = "EvDM0001", Action<JsonObject>? change = null) =>
        WithEvent("event_callback_message_channel.json", json =>
        {
            var inner = JsonNode.Parse(SlackPayloads.Fixture("event_message_im.inner_event.json"))!.AsObject();
            inner["text"] = text;
            json["event"] = inner;
            json["event_id"] = eventId;
            change?.Invoke(inner);
        });

    [Fact]
    public async Task Url_verification_echoes_the_challenge()
    {
        var response = await _host.EventAsync(SlackPayloads.Fixture("url_verification.json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["challenge"]);
        Assert.Empty(_host.Slack.Calls);
    }

    [Fact]
    public async Task An_app_mention_reaches_the_bot_without_the_mention_and_the_answer_is_posted_in_the_channel()
    {
        _host.Bot.Answer = m => BotResponse.Of(new Reply("Team", [new Paragraph("Team is fine")], ReplyVisibility.Conversation));

        var response = await _host.EventAsync(SlackPayloads.Fixture("event_callback_app_mention.json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        await _host.IdleAsync();

        var message = Assert.Single(_host.Bot.Messages);
        Assert.Equal("test", message.Text);
        Assert.Equal(("slack:T123", "U234", "C123", ConversationKind.Channel), (message.WorkspaceId, message.UserId, message.ConversationId, message.Kind));
        Assert.Equal("slack:message:3fd13273-5a6a-4b5c-bd6f-109fd697038c", message.SourceId);
        var post = Assert.Single(_host.Slack.CallsTo("chat.postMessage"));
        Assert.Equal("C123", (string?)post.Json["channel"]);
        Assert.Equal("Team", (string?)post.Json["text"]);
        SlackAssert.WithinBlockKitLimits(_host.Slack);
    }

    [Fact]
    public async Task A_private_answer_to_a_channel_mention_is_shown_only_to_the_person()
    {
        await _host.EventAsync(SlackPayloads.Fixture("event_callback_app_mention.json"));
        await _host.IdleAsync();

        var ephemeral = Assert.Single(_host.Slack.CallsTo("chat.postEphemeral"));
        Assert.Equal(("C123", "U234"), ((string?)ephemeral.Json["channel"], (string?)ephemeral.Json["user"]));
        Assert.Empty(_host.Slack.CallsTo("chat.postMessage"));
    }

    [Fact]
    public async Task A_direct_message_is_logged_and_answered_in_the_dm()
    {
        await _host.EventAsync(DirectMessage("log booked 4 held 2"));
        await _host.IdleAsync();

        var message = Assert.Single(_host.Bot.Messages);
        Assert.Equal(("log booked 4 held 2", ConversationKind.Personal, "D024BE91L"), (message.Text, message.Kind, message.ConversationId));
        Assert.Equal("slack:event:EvDM0001", message.SourceId);
        Assert.Equal(2, _host.Store.Entries.Count);
        var post = Assert.Single(_host.Slack.CallsTo("chat.postMessage"));
        Assert.Equal("D024BE91L", (string?)post.Json["channel"]);
        var address = Assert.Single(_host.Directory.All);
        Assert.Equal((ConversationKind.Personal, "U2147483697"), (address.Kind, address.UserId));
    }

    [Fact]
    public async Task A_retry_storm_of_the_same_event_counts_once()
    {
        var body = DirectMessage("log booked 5", "EvSTORM01");
        var responses = new List<HttpResponseMessage> { await _host.EventAsync(body) };
        for (var retry = 1; retry <= 3; retry++)
        {
            responses.Add(await _host.EventAsync(body, retryNum: retry));
        }
        await _host.IdleAsync();

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Single(_host.Bot.Messages);
        Assert.Single(_host.Store.Entries);
        Assert.Single(_host.Slack.CallsTo("chat.postMessage"));
    }

    [Fact]
    public async Task The_same_typed_message_delivered_as_two_events_is_answered_once()
    {
        await _host.EventAsync(DirectMessage("log booked 5", "EvA", e => e["client_msg_id"] = "msg-1"));
        await _host.EventAsync(DirectMessage("log booked 5", "EvB", e => e["client_msg_id"] = "msg-1"));
        await _host.IdleAsync();

        Assert.Single(_host.Bot.Messages);
        Assert.Single(_host.Store.Entries);
    }

    [Theory]
    [InlineData("bot_id", "B0KPIBOT")]
    [InlineData("subtype", "message_changed")]
    [InlineData("subtype", "bot_message")]
    [InlineData("user", "U123")]
    public async Task Messages_from_bots_edits_and_kpibot_itself_are_ignored(string field, string value)
    {
        // U123 is KpiBot's own user (authed_users of the fixture envelope).
        var response = await _host.EventAsync(DirectMessage("log booked 5", change: e => e[field] = value));
        await _host.IdleAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(_host.Bot.Messages);
        Assert.Empty(_host.Slack.Calls);
        Assert.Empty(_host.Store.InboundKeys);
    }

    [Fact]
    public async Task A_channel_message_that_does_not_mention_kpibot_is_ignored()
    {
        await _host.EventAsync(SlackPayloads.Fixture("event_callback_message_channel.json"));
        await _host.IdleAsync();

        Assert.Empty(_host.Bot.Messages);
        Assert.Empty(_host.Slack.Calls);
    }

    [Fact]
    public async Task Opening_the_app_home_publishes_the_persons_own_trend()
    {
        _host.Bot.Answer = m => BotResponse.Of(new Reply("Your trend", [new Heading("Your trend"), new Paragraph("Normal: +3.1 %/week")]));
        var body = WithEvent("event_callback_message_channel.json", json =>
        {
            json["event_id"] = "EvHOME01";
            json["event"] = new JsonObject { ["type"] = "app_home_opened", ["user"] = "U234", ["channel"] = "D0HOME", ["tab"] = "home", ["event_ts"] = "1583636399.000800" };
        });

        await _host.EventAsync(body);
        await _host.IdleAsync();

        var message = Assert.Single(_host.Bot.Messages);
        Assert.Equal(("how am I trending", "U234", ConversationKind.Personal), (message.Text, message.UserId, message.Kind));
        var publish = Assert.Single(_host.Slack.CallsTo("views.publish"));
        Assert.Equal("U234", (string?)publish.Json["user_id"]);
        var view = publish.Json["view"]!;
        Assert.Equal("home", (string?)view["type"]);
        var blocks = view["blocks"]!.AsArray();
        Assert.Equal("Your trend", (string?)blocks[0]!["text"]!["text"]);
        var buttons = blocks.Last()!["elements"]!.AsArray().Select(b => (string)b!["value"]!).ToArray();
        Assert.Equal(new[] { "log", "my funnel", "my week", "help" }, buttons);
        SlackAssert.WithinBlockKitLimits(_host.Slack);
    }

    [Fact]
    public async Task The_messages_tab_opening_is_not_a_reason_to_rebuild_the_home()
    {
        var body = WithEvent("event_callback_message_channel.json", json =>
            json["event"] = new JsonObject { ["type"] = "app_home_opened", ["user"] = "U234", ["channel"] = "D0HOME", ["tab"] = "messages" });

        await _host.EventAsync(body);
        await _host.IdleAsync();

        Assert.Empty(_host.Bot.Messages);
        Assert.Empty(_host.Slack.Calls);
    }
}
