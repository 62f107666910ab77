using KpiBot.Domain;
using KpiBot.Replies;
using KpiBot.Scheduling;

namespace KpiBot.Tests.Scheduling;

public sealed class ReminderTests
{
    // Saturday 2026-12-05 00:00 UTC.
    private static readonly DateTimeOffset Saturday = new(2026, 12, 5, 0, 0, 0, TimeSpan.Zero);

    private static List<OutboxMessage> Reminders(World world) =>
        world.Outbox.List().Where(m => m.Kind == OutboxKind.Reminder).OrderBy(m => m.DueAt).ToList();

    [Fact]
    public async Task AQuietPersonGetsOneGentleReminderAtTenLocalAfterTwoWorkingDays()
    {
        using var world = new World(Saturday);
        world.AddPerson("anna", "Anna Berg");
        world.Store.Log("anna", new DateOnly(2026, 12, 4), MetricKeys.Booked, 3); // Friday
        world.Schedule(DayOfWeek.Friday, new TimeOnly(15, 0), enabled: false);

        await world.RunForAsync(TimeSpan.FromDays(7), TimeSpan.FromMinutes(20));

        // Monday and Tuesday silent → Wednesday 10:00 Stockholm (09:00 UTC); then the count restarts: next would be Monday.
        var reminder = Assert.Single(Reminders(world));
        Assert.Equal(new DateTimeOffset(2026, 12, 9, 9, 0, 0, TimeSpan.Zero), reminder.DueAt);
        Assert.Equal(1, world.Sender.CountTo(world.PersonalKey("anna")));
        var sent = world.Sender.Sent.Single().Reply;
        Assert.Equal(ReplyVisibility.Private, sent.Visibility);
        Assert.Equal(["log", "remind snooze", "reminders off"], sent.Blocks.OfType<Actions>().Single().Items.Select(a => a.Command));
        Assert.Contains("Friday 4 December", sent.Blocks.OfType<Paragraph>().Single().Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoReminderOnAWeekendEvenWhenItIsDue()
    {
        using var world = new World(Saturday);
        world.AddPerson("anna", "Anna Berg");
        world.Store.Log("anna", new DateOnly(2026, 12, 1), MetricKeys.Booked, 3); // Tuesday: Wed, Thu, Fri silent
        world.Schedule(DayOfWeek.Friday, new TimeOnly(15, 0), enabled: false);

        await world.RunForAsync(TimeSpan.FromDays(2) + TimeSpan.FromHours(12), TimeSpan.FromMinutes(20));

        var reminder = Assert.Single(Reminders(world));
        Assert.Equal(DayOfWeek.Monday, reminder.DueAt.DayOfWeek);
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero), reminder.DueAt);
    }

    [Fact]
    public async Task NoReminderDuringAnAwayPeriod()
    {
        using var world = new World(Saturday);
        world.AddPerson("anna", "Anna Berg", away: [new AwayPeriod(new DateOnly(2026, 12, 7), new DateOnly(2026, 12, 11))]);
        world.Store.Log("anna", new DateOnly(2026, 12, 1), MetricKeys.Booked, 3);
        world.Schedule(DayOfWeek.Friday, new TimeOnly(15, 0), enabled: false);

        await world.RunForAsync(TimeSpan.FromDays(7), TimeSpan.FromMinutes(30));

        Assert.Empty(Reminders(world));
        Assert.Empty(world.Sender.Sent);
    }

    [Fact]
    public async Task AtMostOneReminderADayEvenWithTwoInstancesPollingAllDay()
    {
        using var world = new World(new DateTimeOffset(2026, 12, 9, 0, 0, 0, TimeSpan.Zero)); // Wednesday
        world.AddPerson("anna", "Anna Berg");
        world.Store.Log("anna", new DateOnly(2026, 12, 1), MetricKeys.Booked, 3);
        world.Schedule(DayOfWeek.Friday, new TimeOnly(15, 0), enabled: false);
        var (plannerA, plannerB) = (world.Planner(), world.Planner());
        var (dispatcherA, dispatcherB) = (world.Dispatcher("a"), world.Dispatcher("b"));

        for (var step = 0; step < 24 * 12; step++)
        {
            world.Time.Advance(TimeSpan.FromMinutes(5));
            await world.PassAsync(plannerA, dispatcherA);
            await world.PassAsync(plannerB, dispatcherB);
        }

        Assert.Single(Reminders(world));
        Assert.Equal(1, world.Sender.CountTo(world.PersonalKey("anna")));
    }

    [Fact]
    public async Task RemindersFollowThePersonsOwnZone()
    {
        using var world = new World(Saturday);
        world.AddPerson("sam", "Sam Reed", zone: "America/New_York");
        world.Store.Log("sam", new DateOnly(2026, 12, 4), MetricKeys.Booked, 3);
        world.Schedule(DayOfWeek.Friday, new TimeOnly(15, 0), enabled: false);

        await world.RunForAsync(TimeSpan.FromDays(5), TimeSpan.FromMinutes(20));

        // 10:00 in New York on Wednesday is 15:00 UTC, not 09:00 UTC as for the Stockholm team.
        Assert.Equal(new DateTimeOffset(2026, 12, 9, 15, 0, 0, TimeSpan.Zero), Assert.Single(Reminders(world)).DueAt);
    }

    [Theory]
    [InlineData(true, null)]
    [InlineData(false, "2026-12-12")]
    public async Task RemindersOffOrSnoozedSendNothing(bool off, string? snoozedThrough)
    {
        using var world = new World(Saturday);
        world.AddPerson("anna", "Anna Berg");
        world.Store.Log("anna", new DateOnly(2026, 12, 1), MetricKeys.Booked, 3);
        world.Schedule(DayOfWeek.Friday, new TimeOnly(15, 0), enabled: false);
        world.Nudges.SaveReminderState(ReminderState.Initial(World.Workspace, "anna", Saturday) with
        {
            Off = off,
            SnoozedThrough = snoozedThrough is null ? null : DateOnly.Parse(snoozedThrough, System.Globalization.CultureInfo.InvariantCulture),
        });

        await world.RunForAsync(TimeSpan.FromDays(7), TimeSpan.FromMinutes(30));

        Assert.Empty(Reminders(world));
    }

    [Fact]
    public async Task APersonWhoLogsIsNotReminded()
    {
        using var world = new World(Saturday);
        world.AddPerson("anna", "Anna Berg");
        for (var day = new DateOnly(2026, 12, 4); day <= new DateOnly(2026, 12, 11); day = day.AddDays(1))
        {
            world.Store.Log("anna", day, MetricKeys.Booked, 2);
        }
        world.Schedule(DayOfWeek.Friday, new TimeOnly(15, 0), enabled: false);

        await world.RunForAsync(TimeSpan.FromDays(7), TimeSpan.FromMinutes(30));

        Assert.Empty(Reminders(world));
    }
}
