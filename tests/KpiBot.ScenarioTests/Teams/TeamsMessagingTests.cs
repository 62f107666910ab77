using System.Net;
using System.Text.Json.Nodes;
using KpiBot.Channels;
using KpiBot.Conversation;
using KpiBot.Domain;

namespace KpiBot.ScenarioTests.Teams;

/// <summary>Signed Teams activities (the real fixtures) through /api/messages, with the Connector faked.</summary>
[Collection(TeamsHostCollection.Name)]
public sealed class TeamsMessagingTests : IDisposable
{
    private const string FixtureTenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private const string Workspace = "teams:" + FixtureTenant;
    private readonly TeamsTestHost _host = new();

    public void Dispose() => _host.Dispose();

    private static JsonObject CardOf(RecordedCall call)
    {
        var attachment = call.Json["attachments"]![0]!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment["contentType"]!.GetValue<string>());
        var card = attachment["content"]!.AsObject();
        AdaptiveCardSchema.AssertValid(card);
        return card;
    }

    [Fact]
    public async Task Personal_message_is_acknowledged_and_answered_with_a_card_through_the_connector()
    {
        var activity = TeamsFixtures.PersonalMessage("help", id: "1571691217375");
        using var response = await _host.PostSignedAsync(activity);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());

        var calls = await _host.WaitForRepliesAsync(1);
        Assert.NotEmpty(calls);
        var call = calls[0];
        Assert.All(calls, c => Assert.Equal(call.Uri, c.Uri));
        var conversationId = activity["conversation"]!["id"]!.GetValue<string>();
        Assert.Equal(HttpMethod.Post, call.Method);
        Assert.Equal($"{TeamsTestHost.ServiceUrl}v3/conversations/{Uri.EscapeDataString(conversationId)}/activities/1571691217375", call.Uri.AbsoluteUri);
        Assert.Equal("Bearer outbound-token-1", call.Authorization);
        Assert.Equal("message", call.Json["type"]!.GetValue<string>());
        Assert.Equal("1571691217375", call.Json["replyToId"]!.GetValue<string>());
        Assert.Equal(TeamsTestHost.BotAccountId, call.Json["from"]!["id"]!.GetValue<string>());
        Assert.Equal(conversationId, call.Json["conversation"]!["id"]!.GetValue<string>());
        Assert.All(calls, c => CardOf(c));

        var message = Assert.Single(_host.Bot.Received);
        Assert.Equal(Platform.Teams, message.Platform);
        Assert.Equal(Workspace, message.WorkspaceId);
        Assert.Equal("6d415fdd-f97e-4f70-ac45-e69601e4ecb2", message.UserId);
        Assert.Equal("Tien Suwandy", message.UserName);
        Assert.Equal("help", message.Text);
        Assert.Equal(ConversationKind.Personal, message.Kind);
        Assert.Null(message.Form);

        // The client-credentials request for the outbound token.
        Assert.Contains("grant_type=client_credentials", _host.Cloud.LastTokenRequestBody, StringComparison.Ordinal);
        Assert.Contains($"client_id={TeamsTestHost.AppId}", _host.Cloud.LastTokenRequestBody, StringComparison.Ordinal);
        Assert.Contains("scope=https%3A%2F%2Fapi.botframework.com%2F.default", _host.Cloud.LastTokenRequestBody, StringComparison.Ordinal);

        // The conversation reference is kept for proactive messages, with the verified service URL.
        var address = _host.Directory.FindPersonal(Platform.Teams, Workspace, message.UserId);
        Assert.NotNull(address);
        Assert.Equal(conversationId, address!.ConversationId);
        Assert.Equal(TeamsTestHost.ServiceUrl, address.ServiceUrl);
        Assert.True(address.Active);
    }

    [Fact]
    public async Task Channel_message_has_the_bot_mention_stripped_and_the_reply_goes_to_the_thread()
    {
        var activity = TeamsFixtures.Activity("message_channel_at_mention.recorded.json");
        using var response = await _host.PostSignedAsync(activity);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var call = (await _host.WaitForRepliesAsync(1))[0];
        var message = Assert.Single(_host.Bot.Received);
        Assert.Equal("1", message.Text); // "<at>My Combined</at>1\n"
        Assert.Equal(ConversationKind.Channel, message.Kind);
        Assert.Equal("19:097e6717fd7245bdbeba6baa13840db8@thread.skype;messageid=1571537152320", message.ConversationId);
        Assert.Contains("/v3/conversations/19%3A097e6717fd7245bdbeba6baa13840db8%40thread.skype%3Bmessageid%3D1571537152320/activities/1571537152320", call.Uri.AbsoluteUri, StringComparison.Ordinal);
        CardOf(call);

        // Stored for nudges as the channel itself, not the thread.
        var channel = _host.Directory.Find(ConversationAddress.KeyOf(Platform.Teams, Workspace, "19:097e6717fd7245bdbeba6baa13840db8@thread.skype"));
        Assert.NotNull(channel);
        Assert.Equal(ConversationKind.Channel, channel!.Kind);
    }

    [Fact]
    public async Task Channel_thread_reply_of_2025_keeps_other_words_and_takes_the_local_time_zone()
    {
        var activity = TeamsFixtures.Activity("message_channel_at_mention_2025.teamsnet.json");
        using var response = await _host.PostSignedAsync(activity);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await _host.WaitForRepliesAsync(1);

        var message = Assert.Single(_host.Bot.Received);
        Assert.Equal("reply to thread", message.Text);
        Assert.Equal("America/Los_Angeles", message.TimeZoneId);
        Assert.Equal("teams:50612dbb-0237-4969-b378-8d42590f9c00", message.WorkspaceId);
        Assert.Equal("b15a9416-0ad3-4172-9210-7beb711d3f70", message.UserId);
    }

    [Fact]
    public async Task Group_chat_message_is_a_group_conversation()
    {
        var activity = TeamsFixtures.PersonalMessage("team");
        activity["conversation"] = new JsonObject
        {
            ["isGroup"] = true,
            ["conversationType"] = "groupChat",
            ["tenantId"] = FixtureTenant,
            ["id"] = "19:444d246d19234aab86db1a0cb3d13cb8@thread.v2",
        };
        using var response = await _host.PostSignedAsync(activity);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await _host.WaitForRepliesAsync(1);
        Assert.Equal(ConversationKind.Group, Assert.Single(_host.Bot.Received).Kind);
    }

    [Fact]
    public async Task Installing_in_a_team_stores_the_reference_makes_the_installer_admin_and_welcomes_once()
    {
        var install = TeamsFixtures.Activity("conversationUpdate_bot_installed_team.msdocs.json");
        using (var response = await _host.PostSignedAsync(install))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // Teams also sends installationUpdate for the same install: no second welcome.
        var installation = install.DeepClone().AsObject();
        installation["type"] = "installationUpdate";
        installation["action"] = "add";
        installation["id"] = "f:installation-1";
        installation.Remove("membersAdded");
        using (var response = await _host.PostSignedAsync(installation))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var call = Assert.Single(await _host.Cloud.WaitForCallsAsync(1));
        Assert.Equal($"{TeamsTestHost.ServiceUrl}v3/conversations/{Uri.EscapeDataString("19:0b7f32667e064dd9b25d7969801541f4@thread.tacv2")}/activities", call.Uri.AbsoluteUri);
        Assert.Contains("Welcome to KpiBot", CardOf(call).ToJsonString(), StringComparison.Ordinal);

        const string workspace = "teams:b28fdbfd-2b78-4f93-b0f8-8881793f0f8f";
        Assert.Equal(Platform.Teams, _host.Store.FindWorkspace(workspace)!.Platform);
        var admin = _host.Store.FindPersonByPlatformUser(workspace, "eddfa9d4-346e-4cce-a18f-fa6261ad776b");
        Assert.NotNull(admin);
        Assert.Equal(Role.Admin, admin!.Role);
        Assert.Single(_host.Store.ListPeople(workspace));

        var address = _host.Directory.Find(ConversationAddress.KeyOf(Platform.Teams, workspace, "19:0b7f32667e064dd9b25d7969801541f4@thread.tacv2"));
        Assert.NotNull(address);
        Assert.Equal(ConversationKind.Channel, address!.Kind);
        Assert.Equal(TeamsTestHost.ServiceUrl, address.ServiceUrl);
        Assert.Equal(TeamsTestHost.BotAccountId, address.PlatformData["botId"]);
        Assert.Empty(_host.Bot.Received);
    }

    [Fact]
    public async Task A_second_install_by_someone_else_does_not_add_another_admin()
    {
        var install = TeamsFixtures.Activity("conversationUpdate_bot_installed_team.msdocs.json");
        using (await _host.PostSignedAsync(install))
        {
        }

        var other = install.DeepClone().AsObject();
        other["id"] = "f:second-install";
        other["conversation"]!["id"] = "19:another-channel@thread.tacv2";
        other["from"] = new JsonObject { ["id"] = "29:other", ["aadObjectId"] = "0f0f0f0f-0000-0000-0000-000000000001", ["name"] = "Other Person" };
        using (await _host.PostSignedAsync(other))
        {
        }

        await _host.Cloud.WaitForCallsAsync(2); // a welcome in each channel
        const string workspace = "teams:b28fdbfd-2b78-4f93-b0f8-8881793f0f8f";
        Assert.Single(_host.Store.ListPeople(workspace), p => p.Role == Role.Admin);
        Assert.Null(_host.Store.FindPersonByPlatformUser(workspace, "0f0f0f0f-0000-0000-0000-000000000001"));
    }

    [Fact]
    public async Task Uninstall_marks_the_conversation_inactive()
    {
        var install = TeamsFixtures.Activity("conversationUpdate_bot_installed_team.msdocs.json");
        using (await _host.PostSignedAsync(install))
        {
        }

        var removal = install.DeepClone().AsObject();
        removal["type"] = "installationUpdate";
        removal["action"] = "remove";
        removal["id"] = "f:removed";
        using (var response = await _host.PostSignedAsync(removal))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var address = _host.Directory.Find(ConversationAddress.KeyOf(Platform.Teams, "teams:b28fdbfd-2b78-4f93-b0f8-8881793f0f8f", "19:0b7f32667e064dd9b25d7969801541f4@thread.tacv2"));
        Assert.False(address!.Active);
    }

    [Fact]
    public async Task Action_execute_is_answered_synchronously_with_the_refreshed_card()
    {
        var invoke = TeamsFixtures.Activity("invoke_adaptiveCard_action_Action.Execute.teamsnet.json");
        invoke["value"]!["action"]!["verb"] = "command";
        invoke["value"]!["action"]!["data"] = new JsonObject { ["command"] = "my stats" };
        using var response = await _host.PostSignedAsync(invoke);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(200, body["statusCode"]!.GetValue<int>());
        Assert.Equal("application/vnd.microsoft.card.adaptive", body["type"]!.GetValue<string>());
        AdaptiveCardSchema.AssertValid(body["value"]);

        var message = Assert.Single(_host.Bot.Received);
        Assert.Equal("my stats", message.Text);
        Assert.Equal("c5e99701-2a32-49c1-a660-4629ceeb8c61", message.UserId);
        Assert.Equal("America/Los_Angeles", message.TimeZoneId);
        Assert.Equal("teams:56653e9d-2158-46ee-90d7-675c39642038", message.WorkspaceId);
    }

    [Fact]
    public async Task Action_execute_of_the_logging_form_becomes_a_form_submission()
    {
        var invoke = TeamsFixtures.Activity("invoke_adaptiveCard_action_Action.Execute.teamsnet.json");
        invoke["value"]!["action"]!["verb"] = "submit";
        invoke["value"]!["action"]!["data"] = new JsonObject { ["formId"] = "log", ["booked"] = "5", ["held"] = 3 };
        using var response = await _host.PostSignedAsync(invoke);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var form = Assert.Single(_host.Bot.Received).Form;
        Assert.NotNull(form);
        Assert.Equal("log", form!.FormId);
        Assert.Equal("5", form.Values["booked"]);
        Assert.Equal("3", form.Values["held"]);
        Assert.False(form.Values.ContainsKey("formId"));
    }

    [Fact]
    public async Task Invoke_with_an_action_other_than_execute_is_refused_as_not_supported()
    {
        var invoke = TeamsFixtures.Activity("invoke_adaptiveCard_action_Action.Execute.teamsnet.json");
        invoke["value"]!["action"]!["type"] = "Action.Submit";
        using var response = await _host.PostSignedAsync(invoke);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("application/vnd.microsoft.error", body["type"]!.GetValue<string>());
        Assert.Equal("NotSupported", body["value"]!["code"]!.GetValue<string>());
        Assert.Empty(_host.Bot.Received);
    }

    [Fact]
    public async Task Action_submit_command_runs_like_typed_text()
    {
        var submit = TeamsFixtures.Activity("message_value_from_adaptivecard_action_submit.recorded.json");
        submit["value"] = new JsonObject { ["command"] = "team" };
        using var response = await _host.PostSignedAsync(submit);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var call = (await _host.WaitForRepliesAsync(1))[0];
        Assert.Equal("team", Assert.Single(_host.Bot.Received).Text);
        Assert.EndsWith("/activities/f%3A6208521873967276741", call.Uri.AbsoluteUri, StringComparison.Ordinal);
        CardOf(call);
    }

    [Fact]
    public async Task Action_submit_of_the_logging_form_carries_the_inputs()
    {
        var submit = TeamsFixtures.Activity("message_value_from_adaptivecard_action_submit.recorded.json");
        submit["value"] = new JsonObject { ["formId"] = "log", ["booked"] = "4", ["qualified"] = "1" };
        using var response = await _host.PostSignedAsync(submit);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await _host.WaitForRepliesAsync(1);

        var form = Assert.Single(_host.Bot.Received).Form!;
        Assert.Equal("log", form.FormId);
        Assert.Equal(new Dictionary<string, string> { ["booked"] = "4", ["qualified"] = "1" }, form.Values);
    }

    [Fact]
    public async Task Redelivered_activity_is_handled_once()
    {
        var activity = TeamsFixtures.PersonalMessage("help", id: "redelivered-1");
        using (var first = await _host.PostSignedAsync(activity))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using (var again = await _host.PostSignedAsync(activity))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }

        using (var next = await _host.PostSignedAsync(TeamsFixtures.PersonalMessage("my stats", id: "next-1")))
        {
            Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        }

        var calls = await _host.WaitForRepliesAsync(2);
        Assert.Equal(_host.Bot.Handled.Sum(h => h.Replies), calls.Count);
        Assert.Equal(["help", "my stats"], _host.Bot.Received.Select(m => m.Text).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Unknown_activity_types_are_acknowledged_and_ignored()
    {
        var reaction = TeamsFixtures.PersonalMessage("ignored");
        reaction["type"] = "messageReaction";
        using var response = await _host.PostSignedAsync(reaction);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        using (await _host.PostSignedAsync(TeamsFixtures.PersonalMessage("help")))
        {
        }

        await _host.WaitForRepliesAsync(1);
        Assert.Equal("help", Assert.Single(_host.Bot.Received).Text);
    }
}
