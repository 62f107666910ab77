using System.Net;
using System.Text.Json.Nodes;
using KpiBot.Channels;
using KpiBot.Conversation;
using KpiBot.Domain;
using KpiBot.Scheduling;
using KpiBot.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace KpiBot.ScenarioTests.Teams;

/// <summary>
/// The weekly nudge in Teams through the real endpoint, store, planner, outbox and Connector client: the default
/// schedule appears when KpiBot is installed into a team channel, and the channel nudge mentions the people who
/// have not logged so Teams notifies them.
/// </summary>
[Collection(TeamsHostCollection.Name)]
public sealed class TeamsNudgeTests : IDisposable
{
    private const string Workspace = "teams:b28fdbfd-2b78-4f93-b0f8-8881793f0f8f";
    private const string ChannelId = "19:0b7f32667e064dd9b25d7969801541f4@thread.tacv2";
    private const string InstallerAad = "eddfa9d4-346e-4cce-a18f-fa6261ad776b";
    private readonly TeamsTestHost _host = new();

    public void Dispose() => _host.Dispose();

    private INudgeStore Nudges => _host.Services.GetRequiredService<INudgeStore>();

    private static string ChannelKey => ConversationAddress.KeyOf(Platform.Teams, Workspace, ChannelId);

    private static JsonObject CardOf(RecordedCall call)
    {
        var attachment = call.Json["attachments"]![0]!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment["contentType"]!.GetValue<string>());
        var card = attachment["content"]!.AsObject();
        AdaptiveCardSchema.AssertValid(card);
        return card;
    }

    private async Task InstallAsync(string? activityId = null, string channelId = ChannelId)
    {
        var install = TeamsFixtures.Activity("conversationUpdate_bot_installed_team.msdocs.json");
        if (activityId is not null)
        {
            install["id"] = activityId;
            install["conversation"]!["id"] = channelId;
        }
        using var response = await _host.PostSignedAsync(install);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task SayInChannelAsync(string command)
    {
        var message = TeamsFixtures.Activity("message_channel_at_mention_2025.teamsnet.json");
        message["text"] = "<at>ridotest</at> " + command;
        message["from"] = JsonNode.Parse($$"""{"id":"29:installer","name":"Ina Installer","aadObjectId":"{{InstallerAad}}"}""");
        message["conversation"]!["tenantId"] = "b28fdbfd-2b78-4f93-b0f8-8881793f0f8f";
        message["conversation"]!["id"] = ChannelId;
        message["channelData"]!["tenant"]!["id"] = "b28fdbfd-2b78-4f93-b0f8-8881793f0f8f";
        message["entities"]![0]!["mentioned"]!["id"] = TeamsTestHost.BotAccountId;
        using var response = await _host.PostSignedAsync(message);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Installing_into_a_team_channel_sets_the_Friday_nudge_there_and_the_welcome_says_how_to_change_it()
    {
        await InstallAsync();

        var welcome = Assert.Single(await _host.Cloud.WaitForCallsAsync(1));
        var card = CardOf(welcome).ToJsonString();
        Assert.Contains("Weekly nudge set: every Friday at 15:00", card, StringComparison.Ordinal);
        Assert.Contains("nudges off", card, StringComparison.Ordinal);
        var team = Assert.Single(_host.Store.ListTeams(Workspace));
        var schedule = Nudges.FindSchedule(Workspace, team.Id);
        Assert.NotNull(schedule);
        Assert.Equal(DayOfWeek.Friday, schedule!.Day);
        Assert.Equal(new TimeOnly(15, 0), schedule.Time);
        Assert.True(schedule.Enabled);
        Assert.Equal(ChannelKey, schedule.ChannelKey);
        Assert.Contains(team.Settings.TimeZoneId ?? "UTC", card, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_nudge_an_admin_turned_off_is_not_created_again_when_KpiBot_is_added_to_another_channel()
    {
        await InstallAsync();
        await _host.Cloud.WaitForCallsAsync(1);
        await SayInChannelAsync("nudges off");
        await _host.WaitForRepliesAsync(1);
        var team = Assert.Single(_host.Store.ListTeams(Workspace));
        Assert.False(Nudges.FindSchedule(Workspace, team.Id)!.Enabled);

        await InstallAsync("f:second-channel", "19:another-channel@thread.tacv2");

        var calls = await _host.Cloud.WaitForCallsAsync(3);
        var secondWelcome = calls.Single(c => c.Uri.AbsoluteUri.Contains(Uri.EscapeDataString("19:another-channel@thread.tacv2"), StringComparison.Ordinal));
        var card = CardOf(secondWelcome).ToJsonString();
        Assert.Contains("Welcome to KpiBot", card, StringComparison.Ordinal);
        Assert.DoesNotContain("Weekly nudge set", card, StringComparison.Ordinal);
        var schedule = Nudges.FindSchedule(Workspace, team.Id)!;
        Assert.False(schedule.Enabled); // still off
        Assert.Equal(ChannelKey, schedule.ChannelKey); // and still for the first channel
    }

    [Fact]
    public async Task The_channel_nudge_mentions_who_has_not_logged_with_at_tags_and_mention_entities()
    {
        await InstallAsync();
        await _host.Cloud.WaitForCallsAsync(1);
        var team = Assert.Single(_host.Store.ListTeams(Workspace));
        var now = DateTimeOffset.UtcNow;
        Person Rep(string id, string name, string? platformUserId) =>
            new(id, Workspace, team.Id, name, Role.Rep, platformUserId, null, [], null, now.AddMonths(-3));
        var people = new[]
        {
            Rep("anna", "Anna Berg", "29:1anna-teams-id"),
            Rep("ben", "Ben <Olsen>", "0a1b2c3d-0000-4000-8000-000000000002"),
            Rep("carl", "Carl Legacy", "legacy-crm-17"),
        };
        _host.Store.Apply(new ChangeSet(Workspace, "admin", "test:people", "three reps", now, [], [], people, []));

        // The Friday default made due a minute ago (in the team's zone), as if the week had reached it.
        var zone = NudgeCalendar.ResolveZone(team.Settings.TimeZoneId);
        var local = TimeZoneInfo.ConvertTime(now, zone).AddMinutes(-1);
        var schedule = Nudges.FindSchedule(Workspace, team.Id)!;
        Nudges.SaveSchedule(schedule with { Day = local.DayOfWeek, Time = TimeOnly.FromDateTime(local.DateTime), CheckedThrough = now.AddHours(-1) });
        _host.Services.GetRequiredService<NudgePlanner>().PlanDue();
        await _host.Services.GetRequiredService<OutboxDispatcher>().DrainAsync(CancellationToken.None);

        var calls = await _host.Cloud.WaitForCallsAsync(2);
        var nudge = Assert.Single(calls, c => c.Json["entities"] is JsonArray);
        Assert.EndsWith($"v3/conversations/{Uri.EscapeDataString(ChannelId)}/activities", nudge.Uri.AbsoluteUri, StringComparison.Ordinal);
        var text = nudge.Json["text"]!.GetValue<string>();
        Assert.Contains("<at>Anna Berg</at>", text, StringComparison.Ordinal);
        Assert.Contains("<at>Ben &lt;Olsen&gt;</at>", text, StringComparison.Ordinal);
        Assert.Contains("Carl Legacy", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<at>Carl Legacy</at>", text, StringComparison.Ordinal); // no Teams id: a plain name
        var entities = nudge.Json["entities"]!.AsArray().Select(e => e!.AsObject()).ToList();
        Assert.All(entities, e => Assert.Equal("mention", e["type"]!.GetValue<string>()));
        var byId = entities.ToDictionary(e => e["mentioned"]!["id"]!.GetValue<string>());
        Assert.Equal("Anna Berg", byId["29:1anna-teams-id"]["mentioned"]!["name"]!.GetValue<string>());
        Assert.Equal("<at>Anna Berg</at>", byId["29:1anna-teams-id"]["text"]!.GetValue<string>());
        Assert.Equal("<at>Ben &lt;Olsen&gt;</at>", byId["0a1b2c3d-0000-4000-8000-000000000002"]["text"]!.GetValue<string>());
        Assert.DoesNotContain("legacy-crm-17", byId.Keys);
        Assert.All(entities, e => Assert.Contains(e["text"]!.GetValue<string>(), text, StringComparison.Ordinal));
        // The card itself is unchanged and still valid Adaptive Card 1.5.
        Assert.Contains("Not logged yet this week:", CardOf(nudge).ToJsonString(), StringComparison.Ordinal);
    }
}
