using System.Net;
using System.Text.Json.Nodes;
using KpiBot.Domain;

namespace KpiBot.ScenarioTests.Teams;

/// <summary>
/// The "done" scenario through the REAL conversation engine, LiteDB store and card renderer:
/// a signed Teams message logs numbers once, and the Connector receives valid card replies.
/// </summary>
[Collection(TeamsHostCollection.Name)]
public sealed class TeamsEndToEndTests : IDisposable
{
    private const string Workspace = "teams:72f988bf-86f1-41af-91ab-2d7cd011db47";
    private const string UserAad = "6d415fdd-f97e-4f70-ac45-e69601e4ecb2";
    private readonly TeamsTestHost _host = new();

    public void Dispose() => _host.Dispose();

    private Dictionary<string, decimal> LoggedToday()
    {
        var person = _host.Store.FindPersonByPlatformUser(Workspace, UserAad);
        Assert.NotNull(person);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        return _host.Store.GetEntries(Workspace, [person!.Id], today.AddDays(-2), today.AddDays(2))
            .GroupBy(e => e.Metric)
            .ToDictionary(g => g.Key, g => g.Sum(e => e.Value));
    }

    private static void AssertCardReplies(IEnumerable<RecordedCall> calls)
    {
        foreach (var call in calls)
        {
            var attachment = call.Json["attachments"]![0]!;
            Assert.Equal("application/vnd.microsoft.card.adaptive", attachment["contentType"]!.GetValue<string>());
            AdaptiveCardSchema.AssertValid(attachment["content"]);
        }
    }

    [Fact]
    public async Task Signed_log_message_stores_the_numbers_once_and_the_connector_gets_valid_cards()
    {
        _ = _host.Services; // start the host so the registrations are known
        Assert.True(_host.UsesRealServices, "this scenario must run through the real IBot, IKpiStore and IAdaptiveCardRenderer");

        var activity = TeamsFixtures.PersonalMessage("log booked 5 held 3", id: "1571691217999");
        using (var response = await _host.PostSignedAsync(activity))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var calls = await _host.WaitForRepliesAsync(1);
        Assert.NotEmpty(calls);
        AssertCardReplies(calls);
        Assert.All(calls, c => Assert.EndsWith("/activities/1571691217999", c.Uri.AbsoluteUri, StringComparison.Ordinal));

        var logged = LoggedToday();
        Assert.Equal(5m, logged[MetricKeys.Booked]);
        Assert.Equal(3m, logged[MetricKeys.Held]);

        // The Connector redelivers the same activity (it did not see our 200 in time): nothing more is stored or sent.
        using (var again = await _host.PostSignedAsync(activity))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }

        using (var next = await _host.PostSignedAsync(TeamsFixtures.PersonalMessage("my stats", id: "1571691218000")))
        {
            Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        }

        await _host.WaitForRepliesAsync(2);
        Assert.Equal(2, _host.Bot.Handled.Count);
        Assert.Equal(5m, LoggedToday()[MetricKeys.Booked]);
        Assert.Equal(3m, LoggedToday()[MetricKeys.Held]);
        AssertCardReplies(_host.Cloud.ConnectorCalls);
    }

    [Fact]
    public async Task Logging_form_submitted_with_action_execute_stores_the_numbers_and_returns_a_valid_card()
    {
        // First contact creates the person (the engine's job), then the form is submitted from the card.
        using (await _host.PostSignedAsync(TeamsFixtures.PersonalMessage("help")))
        {
        }

        await _host.WaitForRepliesAsync(1);
        var invoke = TeamsFixtures.Activity("invoke_adaptiveCard_action_Action.Execute.teamsnet.json");
        invoke["from"] = JsonNode.Parse("""{"id":"29:1kbOecyrymSn1FtrbJlQNF","name":"Tien Suwandy","aadObjectId":"6d415fdd-f97e-4f70-ac45-e69601e4ecb2"}""");
        invoke["conversation"]!["tenantId"] = "72f988bf-86f1-41af-91ab-2d7cd011db47";
        invoke["channelData"]!["tenant"]!["id"] = "72f988bf-86f1-41af-91ab-2d7cd011db47";
        invoke["value"]!["action"]!["verb"] = "submit";
        invoke["value"]!["action"]!["data"] = new JsonObject { ["formId"] = "log", ["booked"] = "4", ["held"] = "2" };
        using var response = await _host.PostSignedAsync(invoke);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", body["type"]!.GetValue<string>());
        AdaptiveCardSchema.AssertValid(body["value"]);
        var logged = LoggedToday();
        Assert.Equal(4m, logged[MetricKeys.Booked]);
        Assert.Equal(2m, logged[MetricKeys.Held]);
    }

    [Fact]
    public async Task Installer_is_the_first_admin_for_the_engine_too()
    {
        var install = TeamsFixtures.Activity("conversationUpdate_bot_installed_team.msdocs.json");
        using (await _host.PostSignedAsync(install))
        {
        }

        await _host.Cloud.WaitForCallsAsync(1);
        var message = TeamsFixtures.Activity("message_channel_at_mention_2025.teamsnet.json");
        message["text"] = "<at>ridotest</at> currency EUR";
        message["from"] = JsonNode.Parse("""{"id":"29:installer","name":"Ina Installer","aadObjectId":"eddfa9d4-346e-4cce-a18f-fa6261ad776b"}""");
        message["conversation"]!["tenantId"] = "b28fdbfd-2b78-4f93-b0f8-8881793f0f8f";
        message["channelData"]!["tenant"]!["id"] = "b28fdbfd-2b78-4f93-b0f8-8881793f0f8f";
        message["entities"]![0]!["mentioned"]!["id"] = TeamsTestHost.BotAccountId;
        using (await _host.PostSignedAsync(message))
        {
        }

        await _host.WaitForRepliesAsync(1);
        var team = Assert.Single(_host.Store.ListTeams("teams:b28fdbfd-2b78-4f93-b0f8-8881793f0f8f"));
        Assert.Equal("EUR", team.Settings.Currency); // an admin-only command, accepted for the installer
    }
}
