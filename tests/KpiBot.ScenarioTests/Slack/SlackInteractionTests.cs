using System.Net;
using System.Text.Json.Nodes;
using KpiBot.Conversation;

namespace KpiBot.ScenarioTests.Slack;

/// <summary>Buttons and the logging modal.</summary>
public sealed class SlackInteractionTests : IDisposable
{
    private readonly SlackTestHost _host = new();

    public void Dispose() => _host.Dispose();

    /// <summary>The real view_submission fixture turned into a submission of KpiBot's logging modal.</summary>
    private static string Submission(IReadOnlyDictionary<string, string?> values, string hash = "1583638467.cd05659d", string date = "today")
    {
        var json = JsonNode.Parse(SlackPayloads.Fixture("view_submission_payload.json"))!.AsObject();
        var view = json["view"]!.AsObject();
        view["callback_id"] = "kpibot_log";
        view["hash"] = hash;
        var state = new JsonObject
        {
            ["date"] = new JsonObject { ["date"] = new JsonObject { ["type"] = "datepicker", ["selected_date"] = date == "today" ? DateTime.UtcNow.ToString("yyyy-MM-dd") : date } },
        };
        foreach (var (field, value) in values)
        {
            state[field] = new JsonObject { [field] = new JsonObject { ["type"] = "number_input", ["value"] = value } };
        }
        view["state"] = new JsonObject { ["values"] = state };
        return json.ToJsonString();
    }

    private static Dictionary<string, string?> Numbers(string? booked = null, string? held = null, string? qualified = null, string? proposals = null) =>
        new() { ["booked"] = booked, ["held"] = held, ["qualified"] = qualified, ["proposals"] = proposals };

    [Theory]
    [InlineData("abc", "booked", "'abc' is not a whole number")]
    [InlineData("2.5", "booked", "'2.5' is not a whole number")]
    [InlineData("-1", "booked", "counts cannot be negative")]
    [InlineData("5000", "booked", "more than 200 in a day")]
    public async Task A_bad_number_is_shown_under_its_field_and_nothing_is_stored(string booked, string blockId, string message)
    {
        var response = await _host.InteractionAsync(Submission(Numbers(booked: booked, held: "3")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ack = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("errors", (string?)ack["response_action"]);
        var errors = ack["errors"]!.AsObject();
        Assert.Equal([blockId], errors.Select(e => e.Key).ToArray());
        Assert.Contains(message, (string?)errors[blockId], StringComparison.Ordinal);
        await _host.IdleAsync();
        Assert.Empty(_host.Bot.Messages);
        Assert.Empty(_host.Store.Entries);
        Assert.Empty(_host.Slack.Calls);
    }

    [Fact]
    public async Task Every_wrong_field_gets_its_own_message()
    {
        var response = await _host.InteractionAsync(Submission(Numbers(booked: "x", held: "-2", qualified: "1"), date: "2999-01-01"));

        var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsObject();
        Assert.Equal(new[] { "booked", "date", "held" }, errors.Select(e => e.Key).Order().ToArray());
        Assert.Contains("2999-01-01 is in the future", (string?)errors["date"], StringComparison.Ordinal);
        Assert.Empty(_host.Store.Entries);
    }

    [Fact]
    public async Task An_empty_form_asks_for_at_least_one_number()
    {
        var response = await _host.InteractionAsync(Submission(Numbers()));

        var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsObject();
        Assert.Contains("at least one number", (string?)errors["booked"], StringComparison.Ordinal);
        Assert.Empty(_host.Store.Entries);
    }

    [Fact]
    public async Task A_good_submission_closes_the_modal_stores_once_and_confirms_in_the_dm()
    {
        var body = Submission(Numbers(booked: "5", held: "3"));

        var response = await _host.InteractionAsync(body);
        var again = await _host.InteractionAsync(body);
        await _host.IdleAsync();

        Assert.Equal((HttpStatusCode.OK, ""), (response.StatusCode, await response.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var message = Assert.Single(_host.Bot.Messages);
        Assert.Equal($"log {DateTime.UtcNow:yyyy-MM-dd} booked 5 held 3", message.Text);
        Assert.Equal("slack:view:V123:1583638467.cd05659d", message.SourceId);
        Assert.Equal(("log", "5", "3"), (message.Form!.FormId, message.Form.Values["booked"], message.Form.Values["held"]));
        Assert.False(message.Form.Values.ContainsKey("qualified"));
        Assert.Equal(ConversationKind.Personal, message.Kind);
        Assert.Equal(2, _host.Store.Entries.Count);

        Assert.Equal("U123", Assert.Single(_host.Slack.CallsTo("conversations.open")).Json["users"]!.GetValue<string>());
        var confirmation = Assert.Single(_host.Slack.CallsTo("chat.postMessage"));
        Assert.Equal("D0DMWITHBOT", (string?)confirmation.Json["channel"]);
        Assert.Equal("Logged booked 5, held 3", (string?)confirmation.Json["text"]);
    }

    [Fact]
    public async Task A_button_runs_its_command_and_answers_through_the_response_url()
    {
        var payload = JsonNode.Parse(SlackPayloads.Fixture("socket_mode_envelope_interactive_block_actions.json"))!["payload"]!.AsObject();
        payload["actions"]![0]!["value"] = "funnel for Anna";

        var response = await _host.InteractionAsync(payload.ToJsonString());
        await _host.IdleAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var message = Assert.Single(_host.Bot.Messages);
        Assert.Equal(("funnel for Anna", "slack:T111", "U111", "C111"), (message.Text, message.WorkspaceId, message.UserId, message.ConversationId));
        var answer = Assert.Single(_host.Slack.CallsTo("response_url"));
        Assert.Equal("https://hooks.slack.com/actions/T111/111/xxx", answer.Uri.ToString());
        Assert.Equal("You said: funnel for Anna", (string?)answer.Json["text"]);
        Assert.False((bool?)answer.Json["replace_original"]); // the card with the button stays
    }

    [Fact]
    public async Task A_button_in_the_app_home_answers_in_the_dm()
    {
        var payload = JsonNode.Parse(SlackPayloads.Fixture("block_actions_payload.json"))!.AsObject();
        payload["actions"]![0]!["value"] = "my funnel";

        await _host.InteractionAsync(payload.ToJsonString());
        await _host.IdleAsync();

        Assert.Equal("my funnel", Assert.Single(_host.Bot.Messages).Text);
        Assert.Single(_host.Slack.CallsTo("conversations.open"));
        Assert.Equal("D0DMWITHBOT", (string?)Assert.Single(_host.Slack.CallsTo("chat.postMessage")).Json["channel"]);
    }

    [Fact]
    public async Task The_log_button_opens_the_modal()
    {
        var payload = JsonNode.Parse(SlackPayloads.Fixture("block_actions_payload.json"))!.AsObject();
        payload["actions"]![0]!["value"] = "log";

        await _host.InteractionAsync(payload.ToJsonString());
        await _host.IdleAsync();

        var open = Assert.Single(_host.Slack.CallsTo("views.open"));
        Assert.Equal("987196394372.3485157640.efe5ca926abc9dadb0371534fff4326e", (string?)open.Json["trigger_id"]);
        Assert.Empty(_host.Bot.Messages);
    }

    [Fact]
    public async Task The_launcher_button_of_a_logging_form_in_a_reply_opens_the_modal()
    {
        var payload = JsonNode.Parse(SlackPayloads.Fixture("socket_mode_envelope_interactive_block_actions.json"))!["payload"]!.AsObject();
        payload["actions"]![0]!["action_id"] = "form:log";
        payload["actions"]![0]!["value"] = "log";

        await _host.InteractionAsync(payload.ToJsonString());
        await _host.IdleAsync();

        var view = Assert.Single(_host.Slack.CallsTo("views.open")).Json["view"]!;
        Assert.Equal("kpibot_log", (string?)view["callback_id"]);
        Assert.Equal("C111", (string?)view["private_metadata"]);
        Assert.Empty(_host.Bot.Messages);
    }
}
