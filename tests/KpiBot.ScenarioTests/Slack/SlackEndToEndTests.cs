using System.Net;
using System.Text.Json.Nodes;
using KpiBot.Channels;
using KpiBot.Domain;
using KpiBot.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace KpiBot.ScenarioTests.Slack;

/// <summary>
/// Slack through the real KpiBot: the conversation engine, the LiteDB store (a temp file), the Block Kit
/// renderer and the conversation directory. Only Slack itself is faked.
/// </summary>
public sealed class SlackEndToEndTests : IDisposable
{
    private const string Workspace = "slack:T1DC2JH3J";
    private const string User = "U2CERLKJA";
    private readonly SlackTestHost _host = new(realServices: true);

    public void Dispose() => _host.Dispose();

    private IKpiStore Store => _host.Services.GetRequiredService<IKpiStore>();

    private IReadOnlyList<DailyEntry> EntriesOf(string workspace, string user)
    {
        var person = Store.FindPersonByPlatformUser(workspace, user);
        return person is null ? [] : Store.GetEntries(workspace, [person.Id], DateOnly.MinValue, DateOnly.MaxValue);
    }

    [Fact]
    public async Task A_signed_kpi_log_is_acknowledged_stored_once_and_a_block_kit_card_is_posted()
    {
        var response = await _host.CommandAsync("log booked 5 held 3", trigger: "trig-e2e");
        var repeat = await _host.CommandAsync("log booked 5 held 3", trigger: "trig-e2e");
        await _host.IdleAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Working on it…", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["text"]);
        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);

        var entries = EntriesOf(Workspace, User);
        Assert.Equal(new[] { ("booked", 5m), ("held", 3m) }, entries.Select(e => (e.Metric, e.Value)).OrderBy(e => e.Metric, StringComparer.Ordinal).ToArray());
        var person = Store.FindPersonByPlatformUser(Workspace, User)!;
        Assert.Equal(("Anna", "Europe/Stockholm"), (person.DisplayName, person.TimeZoneId));

        var cards = _host.Slack.CallsTo("response_url");
        Assert.NotEmpty(cards);
        Assert.True((bool?)cards[0].Json["replace_original"]);
        // The bot's confirmation card (after its first-contact welcome) names the numbers it stored.
        var logged = Assert.Single(cards, c => ((string?)c.Json["text"])?.StartsWith("Logged", StringComparison.Ordinal) == true);
        Assert.Contains("*Meetings booked*\n5", logged.Body.Replace("\\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.All(cards, c => Assert.NotEmpty(c.Json["blocks"]!.AsArray()));
        SlackAssert.WithinBlockKitLimits(_host.Slack);

        var address = _host.Services.GetRequiredService<IConversationDirectory>().Find(ConversationAddress.KeyOf(Platform.Slack, Workspace, "C0SALES"));
        Assert.NotNull(address);
        Assert.True(address.Active);
    }

    [Fact]
    public async Task A_forged_kpi_log_stores_nothing_in_the_real_store()
    {
        var response = await _host.PostSignedAsync("/api/slack/commands", SlackPayloads.Command("log booked 5", User, "C0SALES", "t-forged"), "application/x-www-form-urlencoded", secret: "stolen-or-guessed");
        await _host.IdleAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(Store.FindWorkspace(Workspace));
        Assert.Empty(_host.Slack.Calls);
    }

    [Fact]
    public async Task The_logging_modal_opens_and_its_submission_is_stored_by_the_bot_and_confirmed_in_the_dm()
    {
        await _host.CommandAsync("", trigger: "trig-modal");
        var view = Assert.Single(_host.Slack.CallsTo("views.open")).Json["view"]!;
        Assert.Equal("kpibot_log", (string?)view["callback_id"]);

        // Fill the modal the way Slack sends it back: block_id = field id, action_id from the rendered input.
        var state = new JsonObject();
        foreach (var block in view["blocks"]!.AsArray())
        {
            var blockId = (string)block!["block_id"]!;
            var actionId = (string)block["element"]!["action_id"]!;
            state[blockId] = new JsonObject
            {
                [actionId] = blockId switch
                {
                    "date" => new JsonObject { ["type"] = "datepicker", ["selected_date"] = (string?)block["element"]!["initial_date"] },
                    "booked" => new JsonObject { ["type"] = "number_input", ["value"] = "4" },
                    "qualified" => new JsonObject { ["type"] = "number_input", ["value"] = "1" },
                    _ => new JsonObject { ["type"] = "number_input", ["value"] = null },
                },
            };
        }
        var submission = JsonNode.Parse(SlackPayloads.Fixture("view_submission_payload.json"))!.AsObject();
        submission["team"]!["id"] = "T1DC2JH3J";
        submission["user"]!["id"] = User;
        submission["view"]!["callback_id"] = "kpibot_log";
        submission["view"]!["state"] = new JsonObject { ["values"] = state };

        var ack = await _host.InteractionAsync(submission.ToJsonString());
        await _host.IdleAsync();

        Assert.Equal("", await ack.Content.ReadAsStringAsync());
        Assert.Equal(new[] { ("booked", 4m), ("qualified", 1m) }, EntriesOf(Workspace, User).Select(e => (e.Metric, e.Value)).OrderBy(e => e.Metric, StringComparer.Ordinal).ToArray());
        Assert.Single(_host.Slack.CallsTo("conversations.open"));
        Assert.All(_host.Slack.CallsTo("chat.postMessage"), c => Assert.Equal("D0DMWITHBOT", (string?)c.Json["channel"]));
        Assert.NotEmpty(_host.Slack.CallsTo("chat.postMessage"));
        SlackAssert.WithinBlockKitLimits(_host.Slack);
    }

    [Fact]
    public async Task A_bad_modal_value_is_refused_before_the_bot_and_the_store_see_it()
    {
        var submission = JsonNode.Parse(SlackPayloads.Fixture("view_submission_payload.json"))!.AsObject();
        submission["view"]!["callback_id"] = "kpibot_log";
        submission["view"]!["state"] = JsonNode.Parse("""{"values":{"booked":{"value":{"type":"number_input","value":"-4"}}}}""");

        var ack = JsonNode.Parse(await (await _host.InteractionAsync(submission.ToJsonString())).Content.ReadAsStringAsync())!;
        await _host.IdleAsync();

        Assert.Equal("errors", (string?)ack["response_action"]);
        Assert.Contains("cannot be negative", (string?)ack["errors"]!["booked"], StringComparison.Ordinal);
        Assert.Null(Store.FindWorkspace("slack:T123"));
    }

    [Fact]
    public async Task A_retry_storm_of_a_direct_message_logs_once()
    {
        var envelope = JsonNode.Parse(SlackPayloads.Fixture("event_callback_message_channel.json"))!.AsObject();
        var inner = JsonNode.Parse(SlackPayloads.Fixture("event_message_im.inner_event.json"))!.AsObject();
        inner["text"] = "log booked 6";
        envelope["event"] = inner;
        envelope["event_id"] = "EvE2ESTORM";
        var body = envelope.ToJsonString();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => _host.EventAsync(body, retryNum: i == 0 ? null : i)));
        await _host.IdleAsync();

        var entry = Assert.Single(EntriesOf("slack:T123", "U2147483697"));
        Assert.Equal(("booked", 6m), (entry.Metric, entry.Value));
        Assert.All(_host.Slack.CallsTo("chat.postMessage"), c => Assert.Equal("D024BE91L", (string?)c.Json["channel"]));
    }

    [Fact]
    public async Task The_app_home_shows_the_persons_own_trend_from_the_real_bot()
    {
        await _host.CommandAsync("log booked 5 held 3", trigger: "trig-home-1");
        await _host.IdleAsync();
        var envelope = JsonNode.Parse(SlackPayloads.Fixture("event_callback_message_channel.json"))!.AsObject();
        envelope["team_id"] = "T1DC2JH3J";
        envelope["event_id"] = "EvHOMEE2E";
        envelope["event"] = new JsonObject { ["type"] = "app_home_opened", ["user"] = User, ["channel"] = "D0HOME", ["tab"] = "home" };

        await _host.EventAsync(envelope.ToJsonString());
        await _host.IdleAsync();

        var view = Assert.Single(_host.Slack.CallsTo("views.publish")).Json["view"]!;
        Assert.Equal("home", (string?)view["type"]);
        Assert.True(view["blocks"]!.AsArray().Count > 1);
        SlackAssert.WithinBlockKitLimits(_host.Slack);
    }
}
