using KpiBot.Channels;
using KpiBot.Domain;
using KpiBot.Replies;
using KpiBot.Scheduling;

namespace KpiBot.Tests.Scheduling;

public sealed class OutboxTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 4, 14, 0, 0, TimeSpan.Zero);

    private static OutboxMessage Message(string key, DateTimeOffset at) =>
        OutboxMessage.New(key, OutboxKind.TeamNudge, World.Workspace, Platform.Teams, "teams:tenant-1:19:sales@thread.tacv2", Reply.Text("Week 49 numbers"), at, at);

    [Fact]
    public void TheSameIdempotencyKeyIsRecordedOnce()
    {
        using var world = new World(Start);
        Assert.True(world.Outbox.TryEnqueue(Message("nudge|a|2026-W49|c", Start)));
        Assert.False(world.Outbox.TryEnqueue(Message("nudge|a|2026-W49|c", Start.AddHours(1))));

        Assert.Single(world.Outbox.List());
        Assert.Equal(Start, world.Outbox.Find("nudge|a|2026-W49|c")!.CreatedAt);
    }

    [Fact]
    public void OnlyOneInstanceCanClaimAMessage()
    {
        using var world = new World(Start);
        world.Outbox.TryEnqueue(Message("k", Start));
        var second = new LiteDbOutbox(world.Context);

        var claimed = world.Outbox.TryClaim("k", "a", Start, TimeSpan.FromMinutes(2));
        var stolen = second.TryClaim("k", "b", Start.AddSeconds(30), TimeSpan.FromMinutes(2));

        Assert.NotNull(claimed);
        Assert.Equal(OutboxStatus.Sending, claimed.Status);
        Assert.Equal(1, claimed.Attempts);
        Assert.Null(stolen);
        Assert.Empty(second.Due(Start.AddSeconds(30), 10));
    }

    [Fact]
    public void AnExpiredLeaseIsReclaimedAndTheOldOwnerCanNoLongerMarkIt()
    {
        using var world = new World(Start);
        world.Outbox.TryEnqueue(Message("k", Start));
        world.Outbox.TryClaim("k", "a", Start, TimeSpan.FromMinutes(2));

        var reclaimed = world.Outbox.TryClaim("k", "b", Start.AddMinutes(3), TimeSpan.FromMinutes(2));

        Assert.NotNull(reclaimed);
        Assert.Equal("b", reclaimed.LeaseOwner);
        Assert.Equal(2, reclaimed.Attempts);
        Assert.False(world.Outbox.MarkSent("k", "a", Start.AddMinutes(3), "late"));
        Assert.True(world.Outbox.MarkSent("k", "b", Start.AddMinutes(3), "m1"));
        var sent = world.Outbox.Find("k")!;
        Assert.Equal(OutboxStatus.Sent, sent.Status);
        Assert.Equal("m1", sent.PlatformMessageId);
        Assert.Null(world.Outbox.TryClaim("k", "c", Start.AddHours(1), TimeSpan.FromMinutes(2)));
    }

    [Fact]
    public void ARescheduledMessageIsNotDueBeforeItsNextAttempt()
    {
        using var world = new World(Start);
        world.Outbox.TryEnqueue(Message("k", Start));
        world.Outbox.TryClaim("k", "a", Start, TimeSpan.FromMinutes(2));
        world.Outbox.Reschedule("k", "a", Start.AddSeconds(20), "429");

        Assert.Empty(world.Outbox.Due(Start.AddSeconds(19), 10));
        Assert.Equal(Start.AddSeconds(20), world.Outbox.NextWakeAfter(Start));
        Assert.Single(world.Outbox.Due(Start.AddSeconds(20), 10));
        Assert.Equal("429", world.Outbox.Find("k")!.LastError);
    }

    [Fact]
    public void AStoredReplyComesBackBlockForBlock()
    {
        var reply = new Reply("Week 49", [
            new Heading("Nordic Sales", new Badge("Normal", Tone.Good)),
            new Funnel("This week", [new FunnelStep("Booked", 10, null, null, null, false, false), new FunnelStep("Held", 7, 0.7, 0.4, 0.9, true, false)], "note"),
            new Mentions("Not logged:", [new MentionedPerson("u-1", "Anna Berg")]),
            new Chart("Revenue", ChartKind.Line, ["W47", "W48"], [new ChartSeries("Revenue", [1.5, null]), new ChartSeries("Trend", [1, 2], IsFit: true)]),
            new Actions([new ReplyAction("Log now", "log", true)]),
        ], ReplyVisibility.Conversation);

        var back = ReplySerializer.Deserialize(ReplySerializer.Serialize(reply));

        Assert.Equal(reply.Summary, back.Summary);
        Assert.Equal(reply.Visibility, back.Visibility);
        Assert.Equal(reply.Blocks.Select(b => b.GetType()), back.Blocks.Select(b => b.GetType()));
        var mentions = Assert.IsType<Mentions>(back.Blocks[2]);
        Assert.Equal("Anna Berg", Assert.Single(mentions.People).DisplayName);
        var chart = Assert.IsType<Chart>(back.Blocks[3]);
        Assert.Null(chart.Series[0].Values[1]);
        Assert.True(chart.Series[1].IsFit);
        Assert.Equal("log", Assert.IsType<Actions>(back.Blocks[4]).Items[0].Command);
    }
}

public sealed class OutboundRateLimiterTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 4, 14, 0, 0, TimeSpan.Zero);

    private static ConversationAddress Teams(string id, string tenant = World.Workspace) =>
        new(ConversationAddress.KeyOf(Platform.Teams, tenant, id), Platform.Teams, tenant, id, KpiBot.Conversation.ConversationKind.Channel, null, null, null, new Dictionary<string, string>(), true, Start);

    private static ConversationAddress Slack(string id) =>
        new(ConversationAddress.KeyOf(Platform.Slack, "slack:T1", id), Platform.Slack, "slack:T1", id, KpiBot.Conversation.ConversationKind.Channel, null, null, null, new Dictionary<string, string>(), true, Start);

    [Fact]
    public void ATeamsConversationGetsSevenPerSecondThenEightPerTwoSeconds()
    {
        var limiter = new OutboundRateLimiter(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start), TimeSpan.Zero);
        var to = Teams("19:a");

        var waits = Enumerable.Range(0, 10).Select(_ => limiter.Reserve(to).TotalSeconds).ToList();

        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 1, 2, 2], waits); // 8th waits for 1 s window, 9th for the 8-per-2-s window
    }

    [Fact]
    public void ATeamsConversationNeverGetsMoreThanSixtyInThirtySeconds()
    {
        var limiter = new OutboundRateLimiter(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start), TimeSpan.Zero);
        var to = Teams("19:a");

        var times = Enumerable.Range(0, 200).Select(_ => limiter.Reserve(to)).ToList();

        for (var i = 60; i < times.Count; i++)
        {
            Assert.True(times[i] - times[i - 60] >= TimeSpan.FromSeconds(30), $"message {i} is within 30 s of message {i - 60}");
        }
        for (var i = 7; i < times.Count; i++)
        {
            Assert.True(times[i] - times[i - 7] >= TimeSpan.FromSeconds(1));
        }
    }

    [Fact]
    public void ASlackChannelGetsOneMessagePerSecondAndOtherChannelsAreNotHeldUp()
    {
        var limiter = new OutboundRateLimiter(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start), TimeSpan.Zero);

        Assert.Equal(TimeSpan.Zero, limiter.Reserve(Slack("C1")));
        Assert.Equal(TimeSpan.FromSeconds(1), limiter.Reserve(Slack("C1")));
        Assert.Equal(TimeSpan.FromSeconds(2), limiter.Reserve(Slack("C1")));
        Assert.Equal(TimeSpan.Zero, limiter.Reserve(Slack("C2")));
    }

    [Fact]
    public void ATeamsTenantGetsThirtyPerSecondAcrossItsConversations()
    {
        var limiter = new OutboundRateLimiter(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start), TimeSpan.Zero);

        var waits = Enumerable.Range(0, 65).Select(i => limiter.Reserve(Teams("19:c" + i)).TotalSeconds).ToList();

        Assert.All(waits.Take(30), w => Assert.Equal(0, w));
        Assert.All(waits.Skip(30).Take(30), w => Assert.Equal(1, w));
        Assert.All(waits.Skip(60), w => Assert.Equal(2, w));
        Assert.Equal(TimeSpan.Zero, limiter.Reserve(Teams("19:x", "teams:other-tenant")));
    }

    [Fact]
    public void RetryAfterPausesTheConversation()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start);
        var limiter = new OutboundRateLimiter(time, TimeSpan.Zero);
        limiter.PauseUntil(Slack("C1"), Start.AddSeconds(30));

        Assert.Equal(TimeSpan.FromSeconds(30), limiter.Reserve(Slack("C1")));
        Assert.Equal(TimeSpan.Zero, limiter.Reserve(Slack("C2")));
    }
}
