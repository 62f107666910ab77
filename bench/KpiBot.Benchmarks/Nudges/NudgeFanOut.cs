using System.Collections.Concurrent;
using System.Diagnostics;
using KpiBot.Channels;
using KpiBot.Conversation;
using KpiBot.Domain;
using KpiBot.Replies;
using KpiBot.Scheduling;
using KpiBot.Storage.LiteDb;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KpiBot.Benchmarks.Nudges;

/// <summary>The shape of one fan-out run.</summary>
/// <param name="TeamsTenants">Teams tenants (each shares the 30-per-second tenant limit).</param>
/// <param name="SlackWorkspaces">Slack workspaces (one message per second per channel, no workspace limit modelled).</param>
/// <param name="Channels">Team channels in all, spread evenly over the workspaces.</param>
/// <param name="People">People (personal chats) in all, spread evenly over the workspaces.</param>
/// <param name="DatabasePath">A LiteDB file for the outbox (durable commits); null = in memory.</param>
public sealed record FanOutShape(int TeamsTenants, int SlackWorkspaces, int Channels, int People, string? DatabasePath)
{
    /// <summary>The benchmark's target: 5,000 channels and 20,000 people over 25 Teams tenants and 25 Slack workspaces.</summary>
    public static FanOutShape Target { get; } = new(25, 25, 5_000, 20_000, null);
}

/// <summary>What one run measured.</summary>
public sealed record FanOutResult(int Messages, int Delivered, int Lost, int Duplicated, int Throttled, TimeSpan RecordTime, TimeSpan FanOutTime, TimeSpan Minimum)
{
    /// <summary>Fan-out time over the minimum the limits allow.</summary>
    public double Ratio => Minimum <= TimeSpan.Zero ? double.PositiveInfinity : FanOutTime / Minimum;

    /// <inheritdoc />
    public override string ToString() =>
        $"{Messages:N0} messages: delivered {Delivered:N0}, lost {Lost}, duplicated {Duplicated}, platform 429s {Throttled}; " +
        $"recorded in {RecordTime.TotalSeconds:0.00} s; fan-out {FanOutTime.TotalSeconds:0.00} s vs minimum {Minimum.TotalSeconds:0.00} s allowed by the limits " +
        $"(ratio {Ratio:0.000}, target ≤ 1.10)";
}

/// <summary>
/// Fans the weekly nudge out to thousands of channels and people through the real outbox, rate limiter and
/// dispatcher, against a local fake platform that enforces the published limits on its own clock and
/// answers 429 + Retry-After when a limit would be crossed.
/// </summary>
public static class NudgeFanOut
{
    /// <summary>
    /// The least time the limits allow: in each scope (a conversation, a Teams tenant) with n messages and a
    /// window of c per w, message k (from 0) cannot go before ⌊k ÷ c⌋ × w, so the last one goes at
    /// ⌊(n − 1) ÷ c⌋ × w; the fan-out cannot end before the slowest scope.
    /// </summary>
    public static TimeSpan MinimumTime(IEnumerable<ConversationAddress> targets)
    {
        var minimum = TimeSpan.Zero;
        foreach (var scope in targets.GroupBy(t => "c|" + t.Key).Select(g => (Windows: PlatformRateLimits.PerConversation(g.First().Platform), Count: g.Count()))
            .Concat(targets.GroupBy(t => "w|" + t.Platform + t.WorkspaceId).Select(g => (Windows: PlatformRateLimits.PerWorkspace(g.First().Platform), Count: g.Count()))))
        {
            foreach (var window in scope.Windows)
            {
                var last = (scope.Count - 1) / window.Limit * window.Length;
                if (last > minimum)
                {
                    minimum = last;
                }
            }
        }
        return minimum;
    }

    /// <summary>Runs one fan-out and checks every target got exactly one message.</summary>
    public static async Task<FanOutResult> RunAsync(FanOutShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        using var context = shape.DatabasePath is null ? LiteDbContext.InMemory() : new LiteDbContext(shape.DatabasePath);
        var directory = new LiteDbConversationDirectory(context);
        var outbox = new LiteDbOutbox(context);
        var targets = Targets(shape);
        // Setting up the directory is not part of the measurement: one transaction for all addresses.
        context.Database.BeginTrans();
        foreach (var target in targets)
        {
            directory.Save(target);
        }
        context.Database.Commit();
        Console.WriteLine($"// NudgeFanOut: {targets.Count:N0} addresses ready; minimum the limits allow: {MinimumTime(targets).TotalSeconds:0.00} s");

        var now = TimeProvider.System.GetUtcNow();
        var reply = new Reply("Week 49 numbers", [new Heading("Nordic Sales: numbers for week 49"), new Paragraph("Log your numbers today."), new Actions([new ReplyAction("Log now", "log", true)])], ReplyVisibility.Conversation);
        var record = Stopwatch.StartNew();
        var messages = targets.Select(t => OutboxMessage.New(
            OutboxKeys.TeamNudge("bench/" + t.WorkspaceId, "2026-W49", t.Key), t.Kind == ConversationKind.Channel ? OutboxKind.TeamNudge : OutboxKind.ManagerDigest,
            t.WorkspaceId, t.Platform, t.Key, reply, now, now)).ToList();
        var recorded = outbox.EnqueueMany(messages);
        record.Stop();
        Console.WriteLine($"// NudgeFanOut: recorded {recorded:N0} outbox messages in {record.Elapsed.TotalSeconds:0.00} s");

        var teams = new RateLimitedFakePlatform(Platform.Teams, TimeProvider.System);
        var slack = new RateLimitedFakePlatform(Platform.Slack, TimeProvider.System);
        var options = Options.Create(new NudgeOptions { InstanceId = "bench", LeaseDuration = TimeSpan.FromMinutes(10), MaxAttempts = 30 });
        var dispatcher = new OutboxDispatcher(outbox, directory, [teams, slack], new OutboundRateLimiter(TimeProvider.System, options.Value.RateLimitMargin),
            TimeProvider.System, options, NullLogger<OutboxDispatcher>.Instance);

        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var fanOut = Stopwatch.StartNew();
        var first = TimeProvider.System.GetUtcNow();
        while (true)
        {
            await dispatcher.DrainAsync(CancellationToken.None).ConfigureAwait(false);
            if (outbox.NextWakeAfter(TimeProvider.System.GetUtcNow()) is not { } next)
            {
                break;
            }
            var wait = next - TimeProvider.System.GetUtcNow(); // in the past when a retry is already due
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait).ConfigureAwait(false);
            }
        }
        var lastAccepted = new[] { teams.LastAcceptedAt, slack.LastAcceptedAt }.Max();
        Console.WriteLine($"// NudgeFanOut: Teams accepted from {(teams.FirstAcceptedAt - first).TotalSeconds:0.00} s to {(teams.LastAcceptedAt - first).TotalSeconds:0.00} s, " +
            $"Slack from {(slack.FirstAcceptedAt - first).TotalSeconds:0.00} s to {(slack.LastAcceptedAt - first).TotalSeconds:0.00} s after the drain started");
        fanOut.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        Console.WriteLine($"// NudgeFanOut: fan-out used {cpu.TotalSeconds:0.00} s of CPU in {fanOut.Elapsed.TotalSeconds:0.00} s wall ({Environment.ProcessorCount} cores; machine load average {LoadAverage()})");

        var delivered = teams.Delivered.Concat(slack.Delivered).ToDictionary(p => p.Key, p => p.Value);
        var lost = targets.Count(t => !delivered.ContainsKey(t.Key));
        var duplicated = delivered.Values.Count(c => c > 1);
        if (recorded != targets.Count)
        {
            throw new InvalidOperationException($"Recorded {recorded} of {targets.Count} messages.");
        }
        return new FanOutResult(targets.Count, delivered.Values.Sum(), lost, duplicated, teams.Throttled + slack.Throttled,
            record.Elapsed, lastAccepted - first, MinimumTime(targets));
    }

    private static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static List<ConversationAddress> Targets(FanOutShape shape)
    {
        var workspaces = Enumerable.Range(0, shape.TeamsTenants).Select(i => (Platform.Teams, $"teams:tenant-{i:000}"))
            .Concat(Enumerable.Range(0, shape.SlackWorkspaces).Select(i => (Platform.Slack, $"slack:T{i:000}")))
            .ToList();
        var targets = new List<ConversationAddress>(shape.Channels + shape.People);
        for (var i = 0; i < shape.Channels; i++)
        {
            var (platform, workspace) = workspaces[i % workspaces.Count];
            targets.Add(Address(platform, workspace, platform == Platform.Teams ? $"19:team{i}@thread.tacv2" : $"C{i:000000}", ConversationKind.Channel, null));
        }
        for (var i = 0; i < shape.People; i++)
        {
            var (platform, workspace) = workspaces[i % workspaces.Count];
            targets.Add(Address(platform, workspace, platform == Platform.Teams ? $"a:person{i}" : $"D{i:000000}", ConversationKind.Personal, "U" + i));
        }
        return targets;
    }

    private static ConversationAddress Address(Platform platform, string workspace, string conversation, ConversationKind kind, string? user) =>
        new(ConversationAddress.KeyOf(platform, workspace, conversation), platform, workspace, conversation, kind, null, null, user, new Dictionary<string, string>(), true, DateTimeOffset.UnixEpoch);
}

/// <summary>
/// A local stand-in for the Teams connector or Slack's <c>chat.postMessage</c>: it counts every message per
/// conversation and, like the real services, refuses one that would exceed a published limit with
/// 429 + Retry-After (judged on its own clock, by arrival time).
/// </summary>
public sealed class RateLimitedFakePlatform(Platform platform, TimeProvider clock) : IProactiveSender
{
    private readonly Dictionary<string, List<DateTimeOffset>> _arrivals = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private int _throttled;
    private long _lastAcceptedTicks;
    private long _firstAcceptedTicks;

    /// <inheritdoc />
    public Platform Platform { get; } = platform;

    /// <summary>Messages accepted per conversation key.</summary>
    public ConcurrentDictionary<string, int> Delivered { get; } = new(StringComparer.Ordinal);

    /// <summary>How many sends were refused with 429.</summary>
    public int Throttled => _throttled;

    /// <summary>When the first message was accepted.</summary>
    public DateTimeOffset FirstAcceptedAt => new(Interlocked.Read(ref _firstAcceptedTicks), TimeSpan.Zero);

    /// <summary>When the last message was accepted.</summary>
    public DateTimeOffset LastAcceptedAt => new(Interlocked.Read(ref _lastAcceptedTicks), TimeSpan.Zero);

    /// <inheritdoc />
    public Task<SendOutcome> SendAsync(ConversationAddress to, Reply reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(to);
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            var wait = Wait("c|" + to.Key, PlatformRateLimits.PerConversation(Platform), now);
            var tenantWait = Wait("w|" + to.WorkspaceId, PlatformRateLimits.PerWorkspace(Platform), now);
            if (tenantWait > wait)
            {
                wait = tenantWait;
            }
            if (wait > TimeSpan.Zero)
            {
                _throttled++;
                return Task.FromResult(new SendOutcome(SendStatus.RetryLater, RetryAfter: wait, Error: "429 Too Many Requests"));
            }
            Record("c|" + to.Key, now);
            Record("w|" + to.WorkspaceId, now);
            if (_firstAcceptedTicks == 0)
            {
                _firstAcceptedTicks = now.UtcTicks;
            }
            if (now.UtcTicks > _lastAcceptedTicks)
            {
                Interlocked.Exchange(ref _lastAcceptedTicks, now.UtcTicks);
            }
        }
        Delivered.AddOrUpdate(to.Key, 1, (_, count) => count + 1);
        return Task.FromResult(new SendOutcome(SendStatus.Sent, Guid.NewGuid().ToString("N")));
    }

    private TimeSpan Wait(string scope, IReadOnlyList<RateWindow> windows, DateTimeOffset now)
    {
        if (windows.Count == 0 || !_arrivals.TryGetValue(scope, out var arrivals))
        {
            return TimeSpan.Zero;
        }
        var wait = TimeSpan.Zero;
        foreach (var window in windows)
        {
            // Arrivals inside (now − w, now]; a new one fits when fewer than c are there.
            var inside = 0;
            for (var i = arrivals.Count - 1; i >= 0 && arrivals[i] > now - window.Length; i--)
            {
                inside++;
            }
            if (inside >= window.Limit)
            {
                var leaving = arrivals[arrivals.Count - window.Limit] + window.Length - now;
                if (leaving > wait)
                {
                    wait = leaving;
                }
            }
        }
        return wait;
    }

    private void Record(string scope, DateTimeOffset now)
    {
        if (!_arrivals.TryGetValue(scope, out var arrivals))
        {
            arrivals = [];
            _arrivals[scope] = arrivals;
        }
        arrivals.Add(now);
        if (arrivals.Count > 4000)
        {
            arrivals.RemoveRange(0, 2000);
        }
    }
}
