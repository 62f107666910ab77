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
    public void AReplyReadsBackTheSameFromThisProcessAndAfterARestart()
    {
        using var world = new World(Start);
        var reply = new Reply("Week 49", [new Heading("Week 49"), new FactList([new Fact("Booked", "41")]), new Actions([new ReplyAction("Log now", "log")])]);
        world.Outbox.EnqueueMany([OutboxMessage.New("k", OutboxKind.TeamNudge, World.Workspace, Platform.Teams, "teams:tenant-1:19:sales@thread.tacv2", reply, Start, Start)]);

        var due = Assert.Single(world.Outbox.Due(Start, 10));
        var afterRestart = Assert.Single(new LiteDbOutbox(world.Context).Due(Start, 10));

        // Recorded by this process: the reply it gave, not a decoded copy. Another instance decodes the stored JSON.
        Assert.Same(reply, due.Reply);
        Assert.NotSame(reply, afterRestart.Reply);
        Assert.Equal(reply.Summary, afterRestart.Reply.Summary);
        Assert.Equal(reply.Blocks, afterRestart.Reply.Blocks, new JsonEquality());

        world.Outbox.TryClaim("k", "a", Start, TimeSpan.FromMinutes(2));
        Assert.True(world.Outbox.MarkSent("k", "a", Start.AddSeconds(1), "m1"));
        Assert.NotSame(reply, world.Outbox.Find("k")!.Reply);
    }

    private sealed class JsonEquality : IEqualityComparer<ReplyBlock>
    {
        public bool Equals(ReplyBlock? x, ReplyBlock? y) =>
            System.Text.Json.JsonSerializer.Serialize<object?>(x) == System.Text.Json.JsonSerializer.Serialize<object?>(y);

        public int GetHashCode(ReplyBlock obj) => 0;
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
    private static readonly TimeSpan Tolerance = TimeSpan.FromTicks(100); // spacing is 1 s ÷ 30 rounded to whole ticks

    private static ConversationAddress Teams(string id, string tenant = World.Workspace) =>
        new(ConversationAddress.KeyOf(Platform.Teams, tenant, id), Platform.Teams, tenant, id, KpiBot.Conversation.ConversationKind.Channel, null, null, null, new Dictionary<string, string>(), true, Start);

    private static ConversationAddress Slack(string id) =>
        new(ConversationAddress.KeyOf(Platform.Slack, "slack:T1", id), Platform.Slack, "slack:T1", id, KpiBot.Conversation.ConversationKind.Channel, null, null, null, new Dictionary<string, string>(), true, Start);

    /// <summary>Fails naming the first window that more than its limit of <paramref name="times"/> fall into.</summary>
    private static void AssertNoWindowExceeded(IReadOnlyList<TimeSpan> times, IReadOnlyList<RateWindow> windows)
    {
        var sorted = times.Order().ToList();
        foreach (var window in windows)
        {
            for (var i = window.Limit; i < sorted.Count; i++)
            {
                Assert.True(sorted[i] - sorted[i - window.Limit] >= window.Length,
                    $"{window.Limit + 1} messages within {window.Length} (message {i - window.Limit} at {sorted[i - window.Limit]}, message {i} at {sorted[i]})");
            }
        }
    }

    private static void AssertClose(TimeSpan expected, TimeSpan actual) =>
        Assert.True((expected - actual).Duration() <= Tolerance, $"expected {expected}, got {actual}");

    [Fact]
    public void ATeamsConversationsSlotsAreSpreadOneSeventhOfASecondApartAndKeepEightPerTwoSeconds()
    {
        var limiter = new OutboundRateLimiter(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start), TimeSpan.Zero);
        var to = Teams("19:a");

        var waits = Enumerable.Range(0, 10).Select(_ => limiter.Reserve(to)).ToList();

        var seventh = TimeSpan.FromSeconds(1) / 7;
        for (var i = 0; i < 8; i++)
        {
            AssertClose(seventh * i, waits[i]); // 0, 1/7 … 1 s: seven in any second, evenly spaced
        }
        AssertClose(TimeSpan.FromSeconds(2), waits[8]); // the 8-per-2-s window: the 9th waits until the 1st has left it
        AssertClose(TimeSpan.FromSeconds(2) + seventh, waits[9]);
    }

    [Fact]
    public void ATeamsConversationKeepsEveryPublishedWindowAndSendsAtTheThirtySecondLimit()
    {
        var limiter = new OutboundRateLimiter(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start), TimeSpan.Zero);
        var to = Teams("19:a");

        var times = Enumerable.Range(0, 200).Select(_ => limiter.Reserve(to)).ToList();

        AssertNoWindowExceeded(times, PlatformRateLimits.TeamsPerConversation);
        AssertClose(TimeSpan.FromSeconds(30), times[60]); // the 61st goes the moment the 1st leaves the 30-s window, not later
        AssertClose(TimeSpan.FromSeconds(90), times[180]);
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
    public void ATeamsTenantsThirtyPerSecondAreSpreadOneThirtiethOfASecondApartAcrossItsConversations()
    {
        var limiter = new OutboundRateLimiter(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start), TimeSpan.Zero);

        var waits = Enumerable.Range(0, 65).Select(i => limiter.Reserve(Teams("19:c" + i))).ToList();

        for (var i = 0; i < waits.Count; i++)
        {
            AssertClose(TimeSpan.FromSeconds(1) / 30 * i, waits[i]); // no burst at a window edge, and no slower than 30/s
        }
        AssertNoWindowExceeded(waits, PlatformRateLimits.TeamsPerTenant);
        Assert.Equal(TimeSpan.Zero, limiter.Reserve(Teams("19:x", "teams:other-tenant")));
    }

    [Fact]
    public void TheMarginWidensEveryWindowAndTheSpacing()
    {
        var limiter = new OutboundRateLimiter(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start), TimeSpan.FromMilliseconds(30));

        var waits = Enumerable.Range(0, 31).Select(i => limiter.Reserve(Teams("19:c" + i))).ToList();

        AssertClose(TimeSpan.FromMilliseconds(1030) / 30, waits[1]);
        AssertClose(TimeSpan.FromMilliseconds(1030), waits[30]); // 30 slots fill 1 s + margin exactly
    }

    [Fact]
    public void ASendIsAllowedWhileTheActualSendTimesLeaveRoomAndRefusedWithTheWaitOtherwise()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start);
        var limiter = new OutboundRateLimiter(time, TimeSpan.Zero);

        // Thirty sends at one instant do not exceed 30 per second; the thirty-first would.
        Assert.All(Enumerable.Range(0, 30), i => Assert.True(limiter.TryBeginSend(Teams("19:c" + i), out _)));
        Assert.False(limiter.TryBeginSend(Teams("19:late"), out var retryIn));
        Assert.Equal(TimeSpan.FromSeconds(1), retryIn);
        Assert.True(limiter.TryBeginSend(Teams("19:x", "teams:other-tenant"), out _));

        time.Advance(retryIn);
        Assert.True(limiter.TryBeginSend(Teams("19:late"), out _));
    }

    [Fact]
    public void SendsThatRunLateNeverExceedAWindowByTheirActualTimesAndTheFanOutStaysAtTheLimit()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start);
        var limiter = new OutboundRateLimiter(time, TimeSpan.Zero);
        var targets = Enumerable.Range(0, 150).Select(i => Teams("19:c" + i)).ToList();
        var slots = targets.Select(t => limiter.Reserve(t)).ToList();
        // Claim and commit make each send 0–80 ms late, unevenly (fixed seed: the same run every time).
        var random = new Random(6);
        var ready = targets.Select((t, i) => (Target: t, At: slots[i] + TimeSpan.FromMilliseconds(random.Next(0, 80)))).ToList();
        var naiveArrivals = ready.Select(r => r.At).ToList();
        var queue = new PriorityQueue<ConversationAddress, TimeSpan>();
        ready.ForEach(r => queue.Enqueue(r.Target, r.At));

        var sentAt = new List<TimeSpan>();
        while (queue.TryDequeue(out var target, out var at))
        {
            time.Advance(Start + at - time.GetUtcNow());
            if (limiter.TryBeginSend(target, out var retryIn))
            {
                sentAt.Add(at);
            }
            else
            {
                Assert.True(retryIn > TimeSpan.Zero);
                queue.Enqueue(target, at + retryIn);
            }
        }

        // Without the re-check the late sends would have crossed the tenant's 30 per second at the platform.
        Assert.Contains(Enumerable.Range(30, 120), i => naiveArrivals.Order().ElementAt(i) - naiveArrivals.Order().ElementAt(i - 30) < TimeSpan.FromSeconds(1));
        Assert.Equal(150, sentAt.Count);
        AssertNoWindowExceeded(sentAt, PlatformRateLimits.TeamsPerTenant);
        // Lateness does not pile up: the last send is at most the largest lateness after the last slot.
        Assert.True(sentAt.Max() <= slots.Max() + TimeSpan.FromMilliseconds(80), $"last send at {sentAt.Max()}, last slot at {slots.Max()}");
    }

    [Fact]
    public void RetryAfterPausesBookingAndSendingInTheConversation()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start);
        var limiter = new OutboundRateLimiter(time, TimeSpan.Zero);
        limiter.PauseUntil(Slack("C1"), Start.AddSeconds(30));

        Assert.Equal(TimeSpan.FromSeconds(30), limiter.Reserve(Slack("C1")));
        Assert.False(limiter.TryBeginSend(Slack("C1"), out var retryIn));
        Assert.Equal(TimeSpan.FromSeconds(30), retryIn);
        Assert.Equal(TimeSpan.Zero, limiter.Reserve(Slack("C2")));
        Assert.True(limiter.TryBeginSend(Slack("C2"), out _));
    }
}
