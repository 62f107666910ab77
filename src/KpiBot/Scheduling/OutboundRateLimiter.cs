using KpiBot.Channels;
using KpiBot.Domain;

namespace KpiBot.Scheduling;

/// <summary>One sliding-window limit: at most <paramref name="Limit"/> messages in any <paramref name="Length"/>.</summary>
public sealed record RateWindow(int Limit, TimeSpan Length);

/// <summary>The published outbound limits KpiBot keeps to.</summary>
public static class PlatformRateLimits
{
    /// <summary>
    /// Teams, per bot per conversation (thread), sending: 7 per second, 8 per 2 s, 60 per 30 s, 1800 per hour.
    /// Source: learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit.
    /// </summary>
    public static IReadOnlyList<RateWindow> TeamsPerConversation { get; } =
    [
        new(7, TimeSpan.FromSeconds(1)),
        new(8, TimeSpan.FromSeconds(2)),
        new(60, TimeSpan.FromSeconds(30)),
        new(1800, TimeSpan.FromHours(1)),
    ];

    /// <summary>Teams, all conversations of one app in one tenant: 30 requests per second (same page, "global limit").</summary>
    public static IReadOnlyList<RateWindow> TeamsPerTenant { get; } = [new(30, TimeSpan.FromSeconds(1))];

    /// <summary>Slack <c>chat.postMessage</c>: about one message per second per channel (api.slack.com/docs/rate-limits).</summary>
    public static IReadOnlyList<RateWindow> SlackPerChannel { get; } = [new(1, TimeSpan.FromSeconds(1))];

    /// <summary>The windows per conversation for a platform.</summary>
    public static IReadOnlyList<RateWindow> PerConversation(Platform platform) => platform switch
    {
        Platform.Teams => TeamsPerConversation,
        Platform.Slack => SlackPerChannel,
        _ => [],
    };

    /// <summary>The windows shared by every conversation of one workspace on a platform.</summary>
    public static IReadOnlyList<RateWindow> PerWorkspace(Platform platform) => platform switch
    {
        Platform.Teams => TeamsPerTenant,
        _ => [],
    };
}

/// <summary>
/// Spaces outbound messages so no platform limit is crossed, judged the way the platform judges it: by the
/// moment a message actually goes out. Two steps per message:
/// <list type="number">
/// <item><see cref="Reserve"/> books a slot. Bookings of one scope (a conversation, a workspace) are spread
/// evenly: consecutive slots are at least <c>(length + margin) ÷ limit</c> of the scope's shortest window apart
/// (a Teams tenant's 30 per second becomes one slot every 34 ms), and every sliding window of the scope is
/// checked too, so the longer windows (8 per 2 s, 60 per 30 s, 1800 per hour) hold. Callers wait for their
/// slot concurrently, without a worker per conversation.</item>
/// <item><see cref="TryBeginSend"/> is asked right before the platform call, after the work between booking
/// and sending (claim, commit) has run. It checks every window against the times messages really went out
/// and records this one, so a send that runs late never bunches with the next ones on time: it waits the
/// few milliseconds the windows need instead of earning a 429.</item>
/// </list>
/// Thread-safe; in-process (two instances on one store each keep their own logs; the platform's 429 and
/// Retry-After cover the overlap).
/// </summary>
public sealed class OutboundRateLimiter
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _margin;
    private readonly Dictionary<string, ScopeLog> _logs = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private int _callsSinceSweep;

    /// <summary>Creates a limiter; <paramref name="margin"/> is added to every window (see <see cref="NudgeOptions.RateLimitMargin"/>).</summary>
    public OutboundRateLimiter(TimeProvider time, TimeSpan margin)
    {
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _margin = margin < TimeSpan.Zero ? TimeSpan.Zero : margin;
    }

    /// <summary>
    /// Books the earliest evenly spaced send slot for a message to <paramref name="to"/> and returns how long to
    /// wait from now (zero when it may go at once). Ask <see cref="TryBeginSend"/> when the wait is over.
    /// </summary>
    public TimeSpan Reserve(ConversationAddress to)
    {
        ArgumentNullException.ThrowIfNull(to);
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            var (conversation, workspace) = LogsFor(to);
            var at = Max(conversation.EarliestBooking(now, _margin), workspace.EarliestBooking(now, _margin));
            conversation.Book(at);
            workspace.Book(at);
            SweepNowAndThen(now);
            return at - now;
        }
    }

    /// <summary>
    /// Called right before the platform call: true (and the send is recorded at this instant) when no window
    /// of the published limits would be exceeded by the times messages actually went out; otherwise false and
    /// <paramref name="retryIn"/> says how long to wait before asking again.
    /// </summary>
    public bool TryBeginSend(ConversationAddress to, out TimeSpan retryIn)
    {
        ArgumentNullException.ThrowIfNull(to);
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            var (conversation, workspace) = LogsFor(to);
            var at = Max(conversation.EarliestSend(now, _margin), workspace.EarliestSend(now, _margin));
            if (at > now)
            {
                retryIn = at - now;
                return false;
            }
            conversation.RecordSend(now);
            workspace.RecordSend(now);
            SweepNowAndThen(now);
            retryIn = TimeSpan.Zero;
            return true;
        }
    }

    /// <summary>
    /// The platform throttled <paramref name="to"/>: nothing more is booked or sent there before
    /// <paramref name="until"/> (the Retry-After the platform gave).
    /// </summary>
    public void PauseUntil(ConversationAddress to, DateTimeOffset until)
    {
        ArgumentNullException.ThrowIfNull(to);
        lock (_gate)
        {
            LogsFor(to).Conversation.PauseUntil(until);
        }
    }

    private (ScopeLog Conversation, ScopeLog Workspace) LogsFor(ConversationAddress to) =>
        (LogFor("c|" + to.Key, PlatformRateLimits.PerConversation(to.Platform)),
         LogFor("w|" + to.Platform + "|" + to.WorkspaceId, PlatformRateLimits.PerWorkspace(to.Platform)));

    private ScopeLog LogFor(string key, IReadOnlyList<RateWindow> windows)
    {
        if (!_logs.TryGetValue(key, out var log))
        {
            log = new ScopeLog(windows);
            _logs[key] = log;
        }
        return log;
    }

    private void SweepNowAndThen(DateTimeOffset now)
    {
        if (++_callsSinceSweep < 10_000)
        {
            return;
        }
        // Forget scopes whose bookings and sends have all left their windows, so the logs stay small.
        _callsSinceSweep = 0;
        foreach (var idle in _logs.Where(pair => pair.Value.IsIdle(now, _margin)).Select(pair => pair.Key).ToList())
        {
            _logs.Remove(idle);
        }
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    /// <summary>One scope's booked slots and actual send times, oldest first.</summary>
    private sealed class ScopeLog
    {
        private readonly IReadOnlyList<RateWindow> _windows;
        private readonly TimeSpan _longest;
        private readonly RateWindow? _shortest;
        private readonly List<DateTimeOffset> _booked = [];
        private readonly List<DateTimeOffset> _sent = [];
        private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;

        public ScopeLog(IReadOnlyList<RateWindow> windows)
        {
            _windows = windows;
            _longest = windows.Count == 0 ? TimeSpan.Zero : windows.Max(w => w.Length);
            _shortest = windows.Count == 0 ? null : windows.MinBy(w => w.Length);
        }

        public DateTimeOffset EarliestBooking(DateTimeOffset now, TimeSpan margin)
        {
            Trim(_booked, now, margin);
            var at = Earliest(_booked, now, margin);
            if (_booked.Count > 0 && _shortest is { } shortest)
            {
                // Even spacing: a burst of a whole window's worth at one instant is what a send running a few
                // milliseconds late turns into an over-limit second at the platform.
                var next = _booked[^1] + ((shortest.Length + margin) / shortest.Limit);
                if (next > at)
                {
                    at = next;
                }
            }
            return at;
        }

        public DateTimeOffset EarliestSend(DateTimeOffset now, TimeSpan margin)
        {
            Trim(_sent, now, margin);
            return Earliest(_sent, now, margin);
        }

        public bool IsIdle(DateTimeOffset now, TimeSpan margin)
        {
            Trim(_booked, now, margin);
            Trim(_sent, now, margin);
            return _booked.Count == 0 && _sent.Count == 0 && _pausedUntil <= now;
        }

        public void Book(DateTimeOffset at)
        {
            if (_windows.Count > 0)
            {
                _booked.Add(at);
            }
        }

        public void RecordSend(DateTimeOffset at)
        {
            if (_windows.Count > 0)
            {
                _sent.Add(at);
            }
        }

        public void PauseUntil(DateTimeOffset until)
        {
            if (until > _pausedUntil)
            {
                _pausedUntil = until;
            }
        }

        /// <summary>The earliest instant from <paramref name="now"/> at which every window of <paramref name="log"/> has room.</summary>
        private DateTimeOffset Earliest(List<DateTimeOffset> log, DateTimeOffset now, TimeSpan margin)
        {
            var at = now > _pausedUntil ? now : _pausedUntil;
            if (log.Count > 0 && log[^1] > at)
            {
                // In order, so each conversation's messages arrive in the order they were queued.
                at = log[^1];
            }
            foreach (var window in _windows)
            {
                if (log.Count >= window.Limit)
                {
                    // Room for one more once the Limit-th most recent entry has left the window.
                    var leaving = log[log.Count - window.Limit] + window.Length + margin;
                    if (leaving > at)
                    {
                        at = leaving;
                    }
                }
            }
            return at;
        }

        private void Trim(List<DateTimeOffset> log, DateTimeOffset now, TimeSpan margin)
        {
            var cutoff = now - _longest - margin;
            var old = 0;
            while (old < log.Count && log[old] <= cutoff)
            {
                old++;
            }
            if (old > 0)
            {
                log.RemoveRange(0, old);
            }
        }
    }
}
