using KpiBot.Domain;
using KpiBot.Replies;
using KpiBot.Scheduling;
using Microsoft.Extensions.Logging;

namespace KpiBot.Tests.Scheduling;

public sealed class NudgePlannerTests
{
    // Friday 2026-12-04 14:50 in Stockholm (CET, UTC+1).
    private static readonly DateTimeOffset FridayBeforeNudge = new(2026, 12, 4, 13, 50, 0, TimeSpan.Zero);

    private static World TeamWithPeople(DateTimeOffset start, string zone = "Europe/Stockholm")
    {
        var world = new World(start, zone);
        world.AddPerson("anna", "Anna Berg");
        world.AddPerson("bo", "Bo Ek");
        world.AddPerson("maria", "Maria Lind", Role.Manager);
        world.TurnRemindersOff(); // these tests are about the weekly nudge; reminders have their own
        return world;
    }

    [Fact]
    public async Task TheNudgeAndTheDigestGoOutOnceAtTheScheduledLocalTime()
    {
        using var world = TeamWithPeople(FridayBeforeNudge);
        world.Store.Log("anna", new DateOnly(2026, 12, 3), MetricKeys.Booked, 4);
        world.Schedule(DayOfWeek.Friday, new TimeOnly(15, 0));

        await world.RunForAsync(TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(1));
        Assert.Empty(world.Sender.Sent); // 14:59 local: not yet
        await world.RunForAsync(TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(1));

        Assert.Equal(1, world.Sender.CountTo(world.Channel.Key));
        Assert.Equal(1, world.Sender.CountTo(world.PersonalKey("maria")));
        var nudge = world.Outbox.List().Single(m => m.Kind == OutboxKind.TeamNudge);
        Assert.Equal(new DateTimeOffset(2026, 12, 4, 14, 0, 0, TimeSpan.Zero), nudge.DueAt);
        Assert.Equal(OutboxStatus.Sent, nudge.Status);
    }

    [Fact]
    public async Task ARestartAfterTheNudgeDoesNotRepeatIt()
    {
        using var world = TeamWithPeople(FridayBeforeNudge);
        world.Schedule(DayOfWeek.Friday, new TimeOnly(15, 0));
        await world.RunForAsync(TimeSpan.FromMinutes(20), TimeSpan.FromMinutes(1));

        // A new process: fresh planner, fresh dispatcher, same database.
        await world.RunForAsync(TimeSpan.FromHours(2), TimeSpan.FromMinutes(5), world.Planner(), world.Dispatcher("after-restart"));

        Assert.Equal(1, world.Sender.CountTo(world.Channel.Key));
        Assert.Equal(1, world.Sender.CountTo(world.PersonalKey("maria")));
    }

    [Fact]
    public async Task TwoSchedulerInstancesOnOneStoreSendEachNudgeOnce()
    {
        using var world = TeamWithPeople(FridayBeforeNudge);
        world.Schedule(DayOfWeek.Friday, new TimeOnly(15, 0));
        var (plannerA, dispatcherA) = (world.Planner(), world.Dispatcher("a"));
        var (plannerB, dispatcherB) = (world.Planner(), world.Dispatcher("b"));

        for (var minute = 0; minute < 30; minute++)
        {
            world.Time.Advance(TimeSpan.FromMinutes(1));
            await Task.WhenAll(
                Task.Run(() => world.PassAsync(plannerA, dispatcherA)),
                Task.Run(() => world.PassAsync(plannerB, dispatcherB)));
        }

        Assert.Equal(1, world.Sender.CountTo(world.Channel.Key));
        Assert.Equal(1, world.Sender.CountTo(world.PersonalKey("maria")));
    }

    [Fact]
    public async Task AfterDowntimeANudgeInsideTheGraceWindowIsSentOnStart()
    {
        using var world = TeamWithPeople(new DateTimeOffset(2026, 12, 4, 8, 0, 0, TimeSpan.Zero));
        world.Schedule(DayOfWeek.Friday, new TimeOnly(15, 0));
        world.Time.SetUtcNow(new DateTimeOffset(2026, 12, 4, 19, 30, 0, TimeSpan.Zero)); // down from 08:00 until 5.5 h after the nudge

        var (plan, sent) = await world.PassAsync();

        Assert.Equal(1, plan.TeamNudges);
        Assert.Equal(0, plan.SkippedLate);
        Assert.Equal(1, world.Sender.CountTo(world.Channel.Key));
    }

    [Fact]
    public async Task AfterDowntimeANudgeBeyondTheGraceWindowIsSkippedWithALogLine()
    {
        using var world = TeamWithPeople(new DateTimeOffset(2026, 12, 4, 8, 0, 0, TimeSpan.Zero));
        world.Schedule(DayOfWeek.Friday, new TimeOnly(15, 0));
        world.Time.SetUtcNow(new DateTimeOffset(2026, 12, 4, 20, 30, 0, TimeSpan.Zero)); // 6.5 h late
        var log = new RecordingLogger<NudgePlanner>();

        var (plan, _) = await world.PassAsync(world.Planner(log));
        await world.RunForAsync(TimeSpan.FromHours(3), TimeSpan.FromMinutes(10));

        Assert.Equal(1, plan.SkippedLate);
        Assert.DoesNotContain(world.Outbox.List(), m => m.Kind == OutboxKind.TeamNudge);
        Assert.Equal(0, world.Sender.CountTo(world.Channel.Key));
        Assert.Contains(log.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("beyond the grace window", StringComparison.Ordinal) && l.Message.Contains("2026-W49", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AZeroGraceWindowSkipsAnyMissedNudge()
    {
        using var world = new World(new DateTimeOffset(2026, 12, 4, 8, 0, 0, TimeSpan.Zero), options: new NudgeOptions { InstanceId = "a", GraceWindow = TimeSpan.Zero });
        world.Schedule(DayOfWeek.Friday, new TimeOnly(15, 0));
        world.Time.SetUtcNow(new DateTimeOffset(2026, 12, 4, 14, 1, 0, TimeSpan.Zero));

        var (plan, _) = await world.PassAsync();

        Assert.Equal(1, plan.SkippedLate);
        Assert.Empty(world.Sender.Sent);
    }

    [Theory]
    [InlineData("Europe/Stockholm", "02:30", "2027-03-22T00:00:00Z", "2027-03-28T01:00:00Z", "2027-04-04T00:30:00Z")] // spring forward
    [InlineData("Europe/Stockholm", "02:30", "2026-10-19T00:00:00Z", "2026-10-25T00:30:00Z", "2026-11-01T01:30:00Z")] // fall back
    [InlineData("America/New_York", "02:30", "2027-03-08T00:00:00Z", "2027-03-14T07:00:00Z", "2027-03-21T06:30:00Z")] // spring forward
    [InlineData("America/New_York", "01:30", "2026-10-26T00:00:00Z", "2026-11-01T05:30:00Z", "2026-11-08T06:30:00Z")] // fall back
    public async Task ADaylightSavingChangeNeitherSkipsNorDoublesANudge(string zone, string time, string start, string duringChange, string weekAfter)
    {
        using var world = new World(DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture), zone);
        world.Schedule(DayOfWeek.Sunday, TimeOnly.Parse(time, System.Globalization.CultureInfo.InvariantCulture));

        await world.RunForAsync(TimeSpan.FromDays(15), TimeSpan.FromMinutes(30));

        var nudges = world.Outbox.List().Where(m => m.Kind == OutboxKind.TeamNudge).OrderBy(m => m.DueAt).ToList();
        Assert.Equal(
            [DateTimeOffset.Parse(duringChange, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse(weekAfter, System.Globalization.CultureInfo.InvariantCulture)],
            nudges.Select(n => n.DueAt));
        Assert.Equal(2, world.Sender.CountTo(world.Channel.Key));
    }

    [Fact]
    public async Task NudgesOffSendsNothing()
    {
        using var world = TeamWithPeople(FridayBeforeNudge);
        world.Schedule(DayOfWeek.Friday, new TimeOnly(15, 0), enabled: false);

        await world.RunForAsync(TimeSpan.FromHours(2), TimeSpan.FromMinutes(5));

        Assert.Equal(0, world.Sender.CountTo(world.Channel.Key));
        Assert.Equal(0, world.Sender.CountTo(world.PersonalKey("maria")));
    }

    [Fact]
    public async Task TheChannelNudgeNamesWhoHasNotLoggedButShowsNoIndividualState()
    {
        using var world = TeamWithPeople(FridayBeforeNudge);
        // Anna's revenue falls week after week (Danger); Bo has logged nothing this week.
        for (var w = 1; w <= 8; w++)
        {
            var closed = new DateOnly(2026, 11, 30).AddDays(-7 * w).AddDays(2);
            world.Store.Deals.Add(new Deal("d" + w, World.Workspace, "anna", "Acme " + w, 10_000 * w, "SEK", "negotiation", [], closed.AddDays(-30), null, DealOutcome.Won, closed, null));
        }
        world.Store.Log("anna", new DateOnly(2026, 12, 2), MetricKeys.Booked, 5);
        world.Store.Log("anna", new DateOnly(2026, 12, 2), MetricKeys.Held, 3);
        world.Schedule(DayOfWeek.Friday, new TimeOnly(15, 0));

        await world.RunForAsync(TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(1));

        var nudge = world.Sender.Sent.Single(s => s.AddressKey == world.Channel.Key).Reply;
        Assert.Equal(ReplyVisibility.Conversation, nudge.Visibility);
        var mentions = nudge.Blocks.OfType<Mentions>().Single();
        Assert.Equal(["Bo Ek"], mentions.People.Select(p => p.DisplayName));
        var funnel = nudge.Blocks.OfType<Funnel>().Single();
        Assert.Equal(5, funnel.Steps[0].Count);
        Assert.Equal(0.6, funnel.Steps[1].Rate!.Value, 3);
        Assert.Contains(nudge.Blocks.OfType<Actions>().Single().Items, a => a.Command == "log");
        var everything = string.Join(" ", ReplySerializer.Serialize(nudge));
        Assert.DoesNotContain("Danger", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("Crisis", everything, StringComparison.Ordinal);

        var digest = world.Sender.Sent.Single(s => s.AddressKey == world.PersonalKey("maria")).Reply;
        Assert.Equal(ReplyVisibility.Private, digest.Visibility);
        var row = digest.Blocks.OfType<Table>().Single().Rows.Single(r => r.Cells[0] == "Anna Berg");
        Assert.Equal("Danger", row.Cells[1]);
        Assert.Contains("per week over 8 weeks", row.Cells[2], StringComparison.Ordinal);
        Assert.StartsWith("Intervene now", row.Cells[3], StringComparison.Ordinal);
        Assert.Contains(digest.Blocks.OfType<CoachingList>().Single().Items, i => i.Advice.StartsWith("Anna Berg", StringComparison.Ordinal));
    }
}
