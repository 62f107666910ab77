using KpiBot.Channels;
using KpiBot.Domain;
using KpiBot.Replies;
using KpiBot.Scheduling;

namespace KpiBot.Tests.Scheduling;

public sealed class OutboxDispatcherTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 4, 14, 0, 0, TimeSpan.Zero);

    private static void Enqueue(World world, string key, ConversationAddress to) =>
        world.Outbox.TryEnqueue(OutboxMessage.New(key, OutboxKind.TeamNudge, World.Workspace, to.Platform, to.Key, Reply.Text("Numbers for week 49 " + key), world.Time.GetUtcNow(), world.Time.GetUtcNow()));

    /// <summary>A channel in its own tenant, so the 30-per-second tenant limit does not make the fake clock wait.</summary>
    private static ConversationAddress InTenant(int i)
    {
        var tenant = "teams:tenant-" + i;
        var id = "19:c" + i + "@thread.tacv2";
        return World.Address(id, KpiBot.Conversation.ConversationKind.Channel, "c" + i, null) with { Key = ConversationAddress.KeyOf(Platform.Teams, tenant, id), WorkspaceId = tenant };
    }

    [Fact]
    public async Task A429IsRetriedNoSoonerThanRetryAfterAndDeliveredOnce()
    {
        using var world = new World(Start);
        Enqueue(world, "k1", world.Channel);
        world.Sender.Then(_ => new SendOutcome(SendStatus.RetryLater, RetryAfter: TimeSpan.FromSeconds(30), Error: "429 Too Many Requests"));
        var dispatcher = world.Dispatcher();

        var first = await dispatcher.DrainAsync(CancellationToken.None);
        world.Time.Advance(TimeSpan.FromSeconds(29));
        var tooEarly = await dispatcher.DrainAsync(CancellationToken.None);
        world.Time.Advance(TimeSpan.FromSeconds(1));
        var retried = await dispatcher.DrainAsync(CancellationToken.None);

        Assert.Equal(1, first.Retried);
        Assert.Equal(0, tooEarly.Sent);
        Assert.Equal(1, retried.Sent);
        Assert.Equal(1, world.Sender.CountTo(world.Channel.Key));
        var stored = world.Outbox.Find("k1")!;
        Assert.Equal(OutboxStatus.Sent, stored.Status);
        Assert.Equal(2, stored.Attempts);
    }

    [Fact]
    public async Task ServerErrorsBackOffExponentiallyAndThenSucceed()
    {
        using var world = new World(Start);
        Enqueue(world, "k1", world.Channel);
        for (var i = 0; i < 3; i++)
        {
            world.Sender.Then(_ => new SendOutcome(SendStatus.RetryLater, Error: "502 Bad Gateway"));
        }
        var dispatcher = world.Dispatcher();
        var gaps = new List<TimeSpan>();

        for (var attempt = 0; attempt < 4; attempt++)
        {
            await dispatcher.DrainAsync(CancellationToken.None);
            var stored = world.Outbox.Find("k1")!;
            if (stored.Status == OutboxStatus.Sent)
            {
                break;
            }
            gaps.Add(stored.NextAttemptAt - world.Time.GetUtcNow());
            world.Time.Advance(stored.NextAttemptAt - world.Time.GetUtcNow());
        }

        Assert.Equal(3, gaps.Count);
        Assert.InRange(gaps[0].TotalSeconds, 1.6, 2.4); // 2 s ± 20 %
        Assert.InRange(gaps[1].TotalSeconds, 3.2, 4.8);
        Assert.InRange(gaps[2].TotalSeconds, 6.4, 9.6);
        Assert.Equal(OutboxStatus.Sent, world.Outbox.Find("k1")!.Status);
        Assert.Single(world.Sender.Sent);
    }

    [Fact]
    public async Task AMessageIsGivenUpAfterMaxAttempts()
    {
        using var world = new World(Start, options: new NudgeOptions { InstanceId = "a", MaxAttempts = 2 });
        Enqueue(world, "k1", world.Channel);
        world.Sender.Then(_ => new SendOutcome(SendStatus.RetryLater, Error: "503"));
        world.Sender.Then(_ => new SendOutcome(SendStatus.RetryLater, Error: "503"));
        var dispatcher = world.Dispatcher();

        await dispatcher.DrainAsync(CancellationToken.None);
        world.Time.Advance(TimeSpan.FromMinutes(1));
        var last = await dispatcher.DrainAsync(CancellationToken.None);
        world.Time.Advance(TimeSpan.FromHours(1));
        await dispatcher.DrainAsync(CancellationToken.None);

        Assert.Equal(1, last.Failed);
        Assert.Equal(OutboxStatus.Failed, world.Outbox.Find("k1")!.Status);
        Assert.Contains("Gave up after 2 attempts", world.Outbox.Find("k1")!.LastError, StringComparison.Ordinal);
        Assert.Equal(2, world.Sender.Calls);
    }

    [Fact]
    public async Task AConversationTheBotWasRemovedFromIsMarkedInactiveAndNeverRetried()
    {
        using var world = new World(Start);
        Enqueue(world, "k1", world.Channel);
        Enqueue(world, "k2", world.Channel);
        world.Sender.Then(_ => new SendOutcome(SendStatus.ConversationGone, Error: "403 BotNotInConversationRoster"));
        var dispatcher = world.Dispatcher();

        await dispatcher.DrainAsync(CancellationToken.None);
        world.Time.Advance(TimeSpan.FromHours(1));
        await dispatcher.DrainAsync(CancellationToken.None);

        Assert.Contains(world.Directory.Inactivated, i => i.Key == world.Channel.Key);
        Assert.False(world.Directory.Find(world.Channel.Key)!.Active);
        Assert.Equal(OutboxStatus.Gone, world.Outbox.Find("k1")!.Status);
        Assert.Equal(OutboxStatus.Gone, world.Outbox.Find("k2")!.Status);
        Assert.Equal(1, world.Sender.Calls); // the second message never reached the platform
    }

    [Fact]
    public async Task TwoInstancesOnOneStoreDeliverEachMessageExactlyOnce()
    {
        using var world = new World(Start);
        var targets = Enumerable.Range(0, 300).Select(i => InTenant(i)).ToList();
        foreach (var target in targets)
        {
            world.Directory.Save(target);
            Enqueue(world, "k-" + target.ConversationId, target);
        }
        // Each send yields, so the two instances interleave on the thread pool.
        world.Sender.BeforeSend = async (_, ct) => await Task.Yield();
        var a = world.Dispatcher("instance-a");
        var b = world.Dispatcher("instance-b");

        var results = await Task.WhenAll(Task.Run(() => a.DrainAsync(CancellationToken.None)), Task.Run(() => b.DrainAsync(CancellationToken.None)));

        Assert.Equal(300, results.Sum(r => r.Sent));
        Assert.Equal(300, world.Sender.Sent.Count);
        Assert.All(targets, t => Assert.Equal(1, world.Sender.CountTo(t.Key)));
        Assert.All(world.Outbox.List(), m => Assert.Equal(OutboxStatus.Sent, m.Status));
    }

    [Fact]
    public async Task ARestartInTheMiddleOfAFanOutSendsTheRestOnceAndRepeatsNothing()
    {
        using var world = new World(Start);
        var targets = Enumerable.Range(0, 40).Select(i => InTenant(i)).ToList();
        foreach (var target in targets)
        {
            world.Directory.Save(target);
            Enqueue(world, "k-" + target.ConversationId, target);
        }
        using var crash = new CancellationTokenSource();
        var calls = 0;
        // The process dies on the 16th send: that message was claimed but never accepted by the platform.
        world.Sender.BeforeSend = (_, ct) =>
        {
            if (Interlocked.Increment(ref calls) == 16)
            {
                crash.Cancel();
            }
            ct.ThrowIfCancellationRequested();
            return Task.CompletedTask;
        };

        await world.Dispatcher("before-restart").DrainAsync(crash.Token);
        var sentBefore = world.Sender.Sent.Count;
        world.Sender.BeforeSend = null;

        // After the restart: messages claimed by the dead process wait for their lease to expire.
        var afterRestart = world.Dispatcher("after-restart");
        var early = await afterRestart.DrainAsync(CancellationToken.None);
        world.Time.Advance(world.Options.LeaseDuration + TimeSpan.FromSeconds(1));
        await afterRestart.DrainAsync(CancellationToken.None);

        Assert.InRange(sentBefore, 1, 39);
        Assert.Equal(40, world.Sender.Sent.Count);
        Assert.All(targets, t => Assert.Equal(1, world.Sender.CountTo(t.Key)));
        Assert.All(world.Outbox.List(), m => Assert.Equal(OutboxStatus.Sent, m.Status));
        Assert.True(early.Sent < 40 - sentBefore || sentBefore + early.Sent == 40);
    }

    [Fact]
    public async Task AFanOutInOneTenantArrivesAtThirtyPerSecondNoFasterAndNoSlowerWithoutA429()
    {
        using var world = new World(Start);
        var targets = Enumerable.Range(0, 75).Select(i => World.Address("19:c" + i + "@thread.tacv2", KpiBot.Conversation.ConversationKind.Channel, "c" + i, null)).ToList();
        foreach (var target in targets)
        {
            world.Directory.Save(target);
            Enqueue(world, "k-" + target.ConversationId, target);
        }
        var arrivals = new System.Collections.Concurrent.ConcurrentQueue<TimeSpan>();
        world.Sender.BeforeSend = (_, _) =>
        {
            arrivals.Enqueue(world.Time.GetUtcNow() - Start);
            return Task.CompletedTask;
        };

        var result = await world.DrainAsync(world.Dispatcher());

        Assert.Equal(75, result.Sent);
        Assert.Equal(0, result.Retried);
        Assert.All(targets, t => Assert.Equal(1, world.Sender.CountTo(t.Key)));
        var times = arrivals.Order().ToList();
        var slot = TimeSpan.FromSeconds(1) / 30;
        // (Even spacing of the slots is pinned in OutboundRateLimiterTests; here a send whose claim took a moment
        // may go right behind the next one, which the windows allow.)
        Assert.True(times.Count(t => t < TimeSpan.FromSeconds(1)) <= 30);
        for (var i = 30; i < times.Count; i++)
        {
            Assert.True(times[i] - times[i - 30] >= TimeSpan.FromSeconds(1), $"31 messages within one second at message {i}");
        }
        // At the limit, not slower: 74 slots after the first (a send whose claim ran while the test clock jumped to
        // the next slot may start the chain a slot late; nothing more).
        Assert.InRange(times[^1], slot * 74 - TimeSpan.FromTicks(100), slot * 76);
    }

    [Fact]
    public async Task A429WithAShortRetryAfterComesBackAfterItNotAfterTheBackoff()
    {
        using var world = new World(Start);
        Enqueue(world, "k1", world.Channel);
        world.Sender.Then(_ => new SendOutcome(SendStatus.RetryLater, RetryAfter: TimeSpan.FromMilliseconds(300), Error: "429 Too Many Requests"));
        var dispatcher = world.Dispatcher();

        var first = await dispatcher.DrainAsync(CancellationToken.None);

        Assert.Equal(1, first.Retried);
        // The platform's Retry-After is its word: 300 ms, not the 2-s backoff of a failure without one.
        Assert.Equal(world.Time.GetUtcNow().AddMilliseconds(300), world.Outbox.Find("k1")!.NextAttemptAt);
        world.Time.Advance(TimeSpan.FromMilliseconds(300));
        var retried = await dispatcher.DrainAsync(CancellationToken.None);
        Assert.Equal(1, retried.Sent);
        Assert.Equal(1, world.Sender.CountTo(world.Channel.Key));
    }

    [Fact]
    public async Task AMessageForAPlatformWithoutASenderFailsWithAClearError()
    {
        using var world = new World(Start);
        var slack = new ConversationAddress(ConversationAddress.KeyOf(Platform.Slack, "slack:T1", "C1"), Platform.Slack, "slack:T1", "C1", KpiBot.Conversation.ConversationKind.Channel, "sales", null, null, new Dictionary<string, string>(), true, Start);
        world.Directory.Save(slack);
        Enqueue(world, "k1", slack);

        var result = await world.Dispatcher().DrainAsync(CancellationToken.None);

        Assert.Equal(1, result.Failed);
        Assert.Equal("No sender is configured for Slack.", world.Outbox.Find("k1")!.LastError);
    }
}
