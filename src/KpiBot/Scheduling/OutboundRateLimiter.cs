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
/// Spaces outbound messages so no platform limit is crossed. Each conversation and each workspace has a
/// sliding-window log of reserved send times; <see cref="Reserve"/> picks the earliest instant at which every
/// window involved still has room and books it, so callers can wait concurrently without a worker per
/// conversation and the platform sees a schedule as dense as its limits allow. Thread-safe; in-process
/// (two instances on one store each keep their own log; the platform's 429 and Retry-After cover the rest).
/// </summary>
public sealed class OutboundRateLimiter
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _margin;
    private readonly Dictionary<string, SendLog> _logs = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private int _reservationsSinceSweep;

    /// <summary>Creates a limiter; <paramref name="margin"/> is added to every window (see <see cref="NudgeOptions.RateLimitMargin"/>).</summary>
    public OutboundRateLimiter(TimeProvider time, TimeSpan margin)
    {
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _margin = margin < TimeSpan.Zero ? TimeSpan.Zero : margin;
    }

    /// <summary>
    /// Books the earliest allowed send time for a message to <paramref name="to"/> and returns how long to wait
    /// from now (zero when it may go at once).
    /// </summary>
    public TimeSpan Reserve(ConversationAddress to)
    {
        ArgumentNullException.ThrowIfNull(to);
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            var conversation = LogFor("c|" + to.Key, PlatformRateLimits.PerConversation(to.Platform));
            var workspace = LogFor("w|" + to.Platform + "|" + to.WorkspaceId, PlatformRateLimits.PerWorkspace(to.Platform));
            var at = Max(conversation.EarliestFrom(now, _margin), workspace.EarliestFrom(now, _margin));
            conversation.Book(at);
            workspace.Book(at);
            if (++_reservationsSinceSweep >= 10_000)
            {
                // Forget conversations whose bookings have all left their windows, so the logs stay small.
                _reservationsSinceSweep = 0;
                foreach (var idle in _logs.Where(pair => pair.Value.IsIdle(now, _margin)).Select(pair => pair.Key).ToList())
                {
                    _logs.Remove(idle);
                }
            }
            return at - now;
        }
    }

    /// <summary>
    /// The platform throttled <paramref name="to"/>: nothing more is booked there before <paramref name="until"/>
    /// (the Retry-After the platform gave).
    /// </summary>
    public void PauseUntil(ConversationAddress to, DateTimeOffset until)
    {
        ArgumentNullException.ThrowIfNull(to);
        lock (_gate)
        {
            LogFor("c|" + to.Key, PlatformRateLimits.PerConversation(to.Platform)).PauseUntil(until);
        }
    }

    private SendLog LogFor(string key, IReadOnlyList<RateWindow> windows)
    {
        if (!_logs.TryGetValue(key, out var log))
        {
            log = new SendLog(windows);
            _logs[key] = log;
        }
        return log;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    /// <summary>Reserved send times of one conversation or workspace, oldest first.</summary>
    private sealed class SendLog(IReadOnlyList<RateWindow> windows)
    {
        private readonly List<DateTimeOffset> _booked = [];
        private readonly TimeSpan _longest = windows.Count == 0 ? TimeSpan.Zero : windows.Max(w => w.Length);
        private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;

        public DateTimeOffset EarliestFrom(DateTimeOffset now, TimeSpan margin)
        {
            Trim(now, margin);
            var at = now > _pausedUntil ? now : _pausedUntil;
            if (_booked.Count > 0 && _booked[^1] > at)
            {
                // Bookings stay in order, so each conversation's messages arrive in the order they were queued.
                at = _booked[^1];
            }
            foreach (var window in windows)
            {
                if (_booked.Count >= window.Limit)
                {
                    // Room for one more once the Limit-th most recent booking has left the window.
                    var leaving = _booked[_booked.Count - window.Limit] + window.Length + margin;
                    if (leaving > at)
                    {
                        at = leaving;
                    }
                }
            }
            return at;
        }

        public bool IsIdle(DateTimeOffset now, TimeSpan margin)
        {
            Trim(now, margin);
            return _booked.Count == 0 && _pausedUntil <= now;
        }

        public void Book(DateTimeOffset at)
        {
            if (windows.Count > 0)
            {
                _booked.Add(at);
            }
        }

        public void PauseUntil(DateTimeOffset until)
        {
            if (until > _pausedUntil)
            {
                _pausedUntil = until;
            }
        }

        private void Trim(DateTimeOffset now, TimeSpan margin)
        {
            var cutoff = now - _longest - margin;
            var old = 0;
            while (old < _booked.Count && _booked[old] <= cutoff)
            {
                old++;
            }
            if (old > 0)
            {
                _booked.RemoveRange(0, old);
            }
        }
    }
}
