using KpiBot.Channels;
using KpiBot.Conversation;
using KpiBot.Domain;
using KpiBot.Replies;
using KpiBot.Scheduling;

namespace KpiBot.Tests.Scheduling;

public sealed class NudgeCommandsTests
{
    // Friday 2026-12-04 10:00 UTC = 11:00 in Stockholm.
    private static readonly DateTimeOffset Start = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

    private static (World World, NudgeCommands Commands) Setup()
    {
        var world = new World(Start);
        world.AddPerson("ada", "Ada Admin", Role.Admin);
        world.AddPerson("bob", "Bob Berg");
        world.Directory.Save(World.Address("19:general@thread.tacv2", ConversationKind.Channel, "general", null));
        return (world, new NudgeCommands(world.Store, world.Nudges, world.Directory, world.Time));
    }

    private static IncomingMessage Say(string personId, string text, string conversationId = "19:sales@thread.tacv2", ConversationKind kind = ConversationKind.Channel) =>
        new(Platform.Teams, World.Workspace, "u-" + personId, personId, text, Guid.NewGuid().ToString("N"), conversationId, kind, null, null, Start);

    private static string Text(Reply? reply) => reply is null ? "" : string.Join(" ", reply.Blocks.Select(b => b switch
    {
        Paragraph p => p.Text,
        FactList f => string.Join("; ", f.Facts.Select(x => x.Label + ": " + x.Value)),
        Heading h => h.Text,
        _ => "",
    }).Prepend(reply.Summary));

    [Fact]
    public void AnAdminSetsTheNudgeForTheChannelTheCommandIsTypedIn()
    {
        var (world, commands) = Setup();
        using var _ = world;

        var reply = commands.TryHandle(Say("ada", "nudge fridays 15:00"));

        var schedule = world.Nudges.FindSchedule(World.Workspace, World.TeamId)!;
        Assert.Equal((DayOfWeek.Friday, new TimeOnly(15, 0), world.Channel.Key, true), (schedule.Day, schedule.Time, schedule.ChannelKey, schedule.Enabled));
        Assert.Contains("#sales every Friday at 15:00 (Europe/Stockholm)", Text(reply), StringComparison.Ordinal);
        Assert.Contains("Next: Friday 4 December 15:00 (in 4 h 0 min)", Text(reply), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nudge mondays 9:00 in #general")]
    [InlineData("Nudge Monday 9am in general")]
    [InlineData("nudge mon 09.00 in #GENERAL")]
    public void AnAdminCanNameAnotherChannelFromAnywhere(string text)
    {
        var (world, commands) = Setup();
        using var _ = world;

        commands.TryHandle(Say("ada", text, "a:ada", ConversationKind.Personal));

        var schedule = world.Nudges.FindSchedule(World.Workspace, World.TeamId)!;
        Assert.Equal(DayOfWeek.Monday, schedule.Day);
        Assert.Equal(new TimeOnly(9, 0), schedule.Time);
        Assert.EndsWith("19:general@thread.tacv2", schedule.ChannelKey, StringComparison.Ordinal);
    }

    [Fact]
    public void ARepCannotChangeNudgesAndNothingIsStored()
    {
        var (world, commands) = Setup();
        using var _ = world;

        var reply = commands.TryHandle(Say("bob", "nudge fridays 15:00"));

        Assert.Contains("Only an admin", Text(reply), StringComparison.Ordinal);
        Assert.Contains("Ada Admin", Text(reply), StringComparison.Ordinal);
        Assert.Null(world.Nudges.FindSchedule(World.Workspace, World.TeamId));
    }

    [Theory]
    [InlineData("nudge someday 15:00", "\"someday\" is not a weekday")]
    [InlineData("nudge fridays 25:00", "\"25:00\" is not a time of day")]
    [InlineData("nudge fridays", "could not read \"fridays\"")]
    [InlineData("nudge fridays 15:00 in #nowhere", "not in a channel called \"#nowhere\"")]
    public void BadInputSaysWhatWasWrongAndStoresNothing(string text, string expected)
    {
        var (world, commands) = Setup();
        using var _ = world;

        var reply = commands.TryHandle(Say("ada", text));

        Assert.Contains(expected, Text(reply), StringComparison.Ordinal);
        Assert.Equal(Tone.Attention, Assert.IsType<Paragraph>(reply!.Blocks[0]).Tone);
        Assert.Null(world.Nudges.FindSchedule(World.Workspace, World.TeamId));
    }

    [Fact]
    public void ANudgeTypedInADirectMessageWithoutAChannelAsksForOne()
    {
        var (world, commands) = Setup();
        using var _ = world;

        var reply = commands.TryHandle(Say("ada", "nudge fridays 15:00", "a:ada", ConversationKind.Personal));

        Assert.Contains("in #sales", Text(reply), StringComparison.Ordinal);
        Assert.Null(world.Nudges.FindSchedule(World.Workspace, World.TeamId));
    }

    [Fact]
    public void NudgesShowsTheScheduleAndTheNextRunInLocalTime()
    {
        var (world, commands) = Setup();
        using var _ = world;
        commands.TryHandle(Say("ada", "nudge mondays 9:00"));

        var reply = commands.TryHandle(Say("ada", "nudges"));

        var text = Text(reply);
        Assert.Contains("Every Monday at 09:00 (Europe/Stockholm)", text, StringComparison.Ordinal);
        Assert.Contains("Next nudge: Monday 7 December 2026 09:00 Europe/Stockholm (in 2 days)", text, StringComparison.Ordinal);
        Assert.Contains("Channel: #sales", text, StringComparison.Ordinal);
    }

    [Fact]
    public void NudgesOffAndOnKeepTheSchedule()
    {
        var (world, commands) = Setup();
        using var _ = world;
        commands.TryHandle(Say("ada", "nudge fridays 15:00"));

        commands.TryHandle(Say("ada", "nudges off"));
        Assert.False(world.Nudges.FindSchedule(World.Workspace, World.TeamId)!.Enabled);
        Assert.Contains("Status: Off", Text(commands.TryHandle(Say("ada", "nudges"))), StringComparison.Ordinal);

        commands.TryHandle(Say("ada", "nudges on"));
        var schedule = world.Nudges.FindSchedule(World.Workspace, World.TeamId)!;
        Assert.True(schedule.Enabled);
        Assert.Equal(DayOfWeek.Friday, schedule.Day);
    }

    [Fact]
    public void SnoozeOffAndOnChangeOnlyTheSpeakersReminders()
    {
        var (world, commands) = Setup();
        using var _ = world;

        var snoozed = commands.TryHandle(Say("bob", "remind snooze", "a:bob", ConversationKind.Personal));
        Assert.Equal(new DateOnly(2026, 12, 11), world.Nudges.FindReminderState(World.Workspace, "bob")!.SnoozedThrough);
        Assert.Contains("Friday 11 December", Text(snoozed), StringComparison.Ordinal);

        commands.TryHandle(Say("bob", "reminders off", "a:bob", ConversationKind.Personal));
        Assert.True(world.Nudges.FindReminderState(World.Workspace, "bob")!.Off);

        commands.TryHandle(Say("bob", "reminders on", "a:bob", ConversationKind.Personal));
        var state = world.Nudges.FindReminderState(World.Workspace, "bob")!;
        Assert.False(state.Off);
        Assert.Null(state.SnoozedThrough);
        Assert.Null(world.Nudges.FindReminderState(World.Workspace, "ada"));
    }

    [Theory]
    [InlineData("log booked 5")]
    [InlineData("nudgefoo")]
    [InlineData("remind me tomorrow")]
    public void OtherTextIsNotThisAreasCommand(string text)
    {
        var (world, commands) = Setup();
        using var _ = world;

        Assert.Null(commands.TryHandle(Say("ada", text)));
        Assert.Equal(CommandKind.None, NudgeCommands.Recognize(text));
    }
}
