using KpiBot.Channels;
using KpiBot.Domain;
using KpiBot.Scheduling;
using KpiBot.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace KpiBot.ScenarioTests.Slack;

/// <summary>
/// The default weekly nudge in Slack, through the real endpoints, engine, store and directory (only Slack is
/// faked): the first command typed in a channel gives the team its Friday 15:00 nudge there, once, and a nudge an
/// admin turned off stays off.
/// </summary>
public sealed class SlackNudgeTests : IDisposable
{
    private const string Workspace = "slack:T1DC2JH3J";
    private readonly SlackTestHost _host = new(realServices: true);

    public void Dispose() => _host.Dispose();

    private IKpiStore Store => _host.Services.GetRequiredService<IKpiStore>();

    private INudgeStore Nudges => _host.Services.GetRequiredService<INudgeStore>();

    private List<string> PostedTexts() =>
        _host.Slack.CallsTo("response_url").Concat(_host.Slack.CallsTo("chat.postMessage")).Select(c => c.Body).ToList();

    [Fact]
    public async Task The_first_command_in_a_channel_sets_the_Friday_nudge_for_that_channel_and_says_how_to_change_it_once()
    {
        await _host.CommandAsync("log booked 5 held 3", channel: "C0SALES", trigger: "trig-1");
        await _host.IdleAsync();

        var team = Assert.Single(Store.ListTeams(Workspace));
        var schedule = Nudges.FindSchedule(Workspace, team.Id);
        Assert.NotNull(schedule);
        Assert.Equal((DayOfWeek.Friday, new TimeOnly(15, 0), true), (schedule!.Day, schedule.Time, schedule.Enabled));
        Assert.Equal(ConversationAddress.KeyOf(Platform.Slack, Workspace, "C0SALES"), schedule.ChannelKey);
        var announcement = Assert.Single(PostedTexts(), t => t.Contains("Weekly nudge set: every Friday at 15:00", StringComparison.Ordinal));
        Assert.Contains("nudges off", announcement, StringComparison.Ordinal);
        Assert.Contains("nudge mondays 9:00", announcement, StringComparison.Ordinal);

        await _host.CommandAsync("my week", channel: "C0SALES", trigger: "trig-2");
        await _host.IdleAsync();
        Assert.Single(PostedTexts(), t => t.Contains("Weekly nudge set", StringComparison.Ordinal)); // not announced again
    }

    [Fact]
    public async Task A_nudge_turned_off_is_not_created_again_by_a_command_in_another_channel()
    {
        await _host.CommandAsync("log booked 2", channel: "C0SALES", trigger: "trig-a");
        await _host.IdleAsync();
        await _host.CommandAsync("nudges off", channel: "C0SALES", trigger: "trig-b"); // the first person is the admin
        await _host.IdleAsync();
        var team = Assert.Single(Store.ListTeams(Workspace));
        Assert.False(Nudges.FindSchedule(Workspace, team.Id)!.Enabled);

        await _host.CommandAsync("my week", channel: "C0OTHER", trigger: "trig-c");
        await _host.IdleAsync();

        var schedule = Nudges.FindSchedule(Workspace, team.Id)!;
        Assert.False(schedule.Enabled);
        Assert.Equal(ConversationAddress.KeyOf(Platform.Slack, Workspace, "C0SALES"), schedule.ChannelKey);
        Assert.Single(PostedTexts(), t => t.Contains("Weekly nudge set", StringComparison.Ordinal)); // only the first time
    }

    [Fact]
    public async Task A_direct_message_creates_no_channel_nudge()
    {
        await _host.CommandAsync("log booked 1", channel: "D0PERSONAL", trigger: "trig-dm");
        await _host.IdleAsync();

        var team = Assert.Single(Store.ListTeams(Workspace));
        Assert.Null(Nudges.FindSchedule(Workspace, team.Id));
        Assert.DoesNotContain(PostedTexts(), t => t.Contains("Weekly nudge set", StringComparison.Ordinal));
    }
}
