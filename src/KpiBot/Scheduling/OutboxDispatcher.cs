using System.Collections.Concurrent;
using KpiBot.Channels;
using KpiBot.Domain;
using Microsoft.Extensions.Options;

namespace KpiBot.Scheduling;

/// <summary>What one <see cref="OutboxDispatcher.DrainAsync"/> did.</summary>
public sealed record DispatchSummary(int Sent, int Retried, int Failed, int Gone, int LostToOtherInstance)
{
    /// <summary>Nothing happened.</summary>
    public static DispatchSummary Empty { get; } = new(0, 0, 0, 0, 0);
}

/// <summary>
/// Works the outbox: claims each due message with a lease just before sending it, waits for its rate-limit
/// slot, sends it through the platform's <see cref="IProactiveSender"/> and records the outcome. Throttling
/// and transient failures go back to Pending with exponential backoff (never sooner than the platform's
/// Retry-After); a conversation the bot was removed from is marked inactive and never retried.
/// </summary>
public sealed class OutboxDispatcher
{
    private readonly IOutbox _outbox;
    private readonly IConversationDirectory _directory;
    private readonly IReadOnlyDictionary<Platform, IProactiveSender> _senders;
    private readonly OutboundRateLimiter _limiter;
    private readonly TimeProvider _time;
    private readonly NudgeOptions _options;
    private readonly ILogger<OutboxDispatcher> _logger;
    private readonly ConcurrentDictionary<string, byte> _inFlight = new(StringComparer.Ordinal);

    /// <summary>Creates the dispatcher of one instance.</summary>
    public OutboxDispatcher(
        IOutbox outbox,
        IConversationDirectory directory,
        IEnumerable<IProactiveSender> senders,
        OutboundRateLimiter limiter,
        TimeProvider time,
        IOptions<NudgeOptions> options,
        ILogger<OutboxDispatcher> logger)
    {
        _outbox = outbox ?? throw new ArgumentNullException(nameof(outbox));
        _directory = directory ?? throw new ArgumentNullException(nameof(directory));
        ArgumentNullException.ThrowIfNull(senders);
        _senders = senders.GroupBy(s => s.Platform).ToDictionary(g => g.Key, g => g.Last());
        _limiter = limiter ?? throw new ArgumentNullException(nameof(limiter));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _options = options?.Value ?? throw new ArgumentNullException(nameof(options));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        InstanceId = string.IsNullOrWhiteSpace(_options.InstanceId)
            ? $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}"[..^24]
            : _options.InstanceId;
    }

    /// <summary>The lease owner name of this instance.</summary>
    public string InstanceId { get; }

    /// <summary>
    /// Sends every message that is due now, concurrently across conversations, and returns when each has an
    /// outcome. Messages rescheduled for later are left for a later call.
    /// </summary>
    public async Task<DispatchSummary> DrainAsync(CancellationToken cancellationToken)
    {
        var totals = new Totals();
        while (!cancellationToken.IsCancellationRequested)
        {
            var due = _outbox.Due(_time.GetUtcNow(), 100_000).Where(m => _inFlight.TryAdd(m.Key, 0)).ToList();
            if (due.Count == 0)
            {
                break;
            }
            var work = new List<Task>(due.Count);
            foreach (var message in due)
            {
                work.Add(SendOneAsync(message, totals, cancellationToken));
            }
            await Task.WhenAll(work).ConfigureAwait(false);
        }
        return totals.ToSummary();
    }

    private async Task SendOneAsync(OutboxMessage message, Totals totals, CancellationToken cancellationToken)
    {
        try
        {
            var address = _directory.Find(message.AddressKey);
            if (address is null || !address.Active)
            {
                if (_outbox.TryClaim(message.Key, InstanceId, _time.GetUtcNow(), _options.LeaseDuration) is not null)
                {
                    _outbox.MarkFinal(message.Key, InstanceId, OutboxStatus.Gone, address is null ? "The conversation is unknown." : "The conversation is inactive (the bot was removed).");
                    totals.Add(OutboxStatus.Gone);
                    _logger.LogInformation("Skipped {Kind} {Key}: conversation {Address} is {State}", message.Kind, message.Key, message.AddressKey, address is null ? "unknown" : "inactive");
                }
                return;
            }
            if (!_senders.TryGetValue(address.Platform, out var sender))
            {
                if (_outbox.TryClaim(message.Key, InstanceId, _time.GetUtcNow(), _options.LeaseDuration) is not null)
                {
                    _outbox.MarkFinal(message.Key, InstanceId, OutboxStatus.Failed, $"No sender is configured for {address.Platform}.");
                    totals.Add(OutboxStatus.Failed);
                    _logger.LogWarning("Cannot send {Kind} {Key}: the {Platform} channel is not configured", message.Kind, message.Key, address.Platform);
                }
                return;
            }

            var wait = _limiter.Reserve(address);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            }

            // Claim only now, right before sending, so the lease covers the send and not the queueing.
            var claimed = _outbox.TryClaim(message.Key, InstanceId, _time.GetUtcNow(), _options.LeaseDuration);
            if (claimed is null)
            {
                totals.LostToOtherInstance();
                return;
            }

            SendOutcome outcome;
            try
            {
                outcome = await sender.SendAsync(address, claimed.Reply, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                outcome = new SendOutcome(SendStatus.RetryLater, Error: e.Message);
            }
            Record(claimed, address, outcome, totals);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: a claimed message stays claimed until its lease expires, then any instance resends it.
        }
        finally
        {
            _inFlight.TryRemove(message.Key, out _);
        }
    }

    private void Record(OutboxMessage message, ConversationAddress address, SendOutcome outcome, Totals totals)
    {
        var now = _time.GetUtcNow();
        switch (outcome.Status)
        {
            case SendStatus.Sent:
                if (!_outbox.MarkSent(message.Key, InstanceId, now, outcome.MessageId))
                {
                    _logger.LogWarning("Sent {Key} but its lease had expired; raise Nudges:LeaseDuration", message.Key);
                }
                totals.Add(OutboxStatus.Sent);
                break;
            case SendStatus.RetryLater when message.Attempts < _options.MaxAttempts:
                var backoff = Backoff(message.Attempts);
                var retryAfter = outcome.RetryAfter ?? TimeSpan.Zero;
                if (retryAfter > TimeSpan.Zero)
                {
                    _limiter.PauseUntil(address, now + retryAfter);
                }
                var next = now + (retryAfter > backoff ? retryAfter : backoff);
                _outbox.Reschedule(message.Key, InstanceId, next, outcome.Error ?? "Throttled or a transient platform error.");
                totals.Retried();
                _logger.LogInformation("Retrying {Kind} {Key} at {Next:o} (attempt {Attempt}): {Error}", message.Kind, message.Key, next, message.Attempts, outcome.Error);
                break;
            case SendStatus.RetryLater:
                _outbox.MarkFinal(message.Key, InstanceId, OutboxStatus.Failed, $"Gave up after {message.Attempts} attempts: {outcome.Error}");
                totals.Add(OutboxStatus.Failed);
                _logger.LogWarning("Gave up {Kind} {Key} after {Attempts} attempts: {Error}", message.Kind, message.Key, message.Attempts, outcome.Error);
                break;
            case SendStatus.ConversationGone:
                _directory.MarkInactive(address.Key, outcome.Error ?? "The bot was removed from the conversation.", now);
                _outbox.MarkFinal(message.Key, InstanceId, OutboxStatus.Gone, outcome.Error ?? "The bot was removed from the conversation.");
                totals.Add(OutboxStatus.Gone);
                _logger.LogInformation("Conversation {Address} is gone; {Key} dropped: {Error}", address.Key, message.Key, outcome.Error);
                break;
            default:
                _outbox.MarkFinal(message.Key, InstanceId, OutboxStatus.Failed, outcome.Error ?? "The platform refused the message.");
                totals.Add(OutboxStatus.Failed);
                _logger.LogWarning("{Kind} {Key} failed permanently: {Error}", message.Kind, message.Key, outcome.Error);
                break;
        }
    }

    /// <summary>
    /// Exponential backoff with jitter: 2, 4, 8 … seconds (±20 %), capped at <see cref="NudgeOptions.MaxBackoff"/>.
    /// Jitter keeps many throttled conversations from retrying in lockstep.
    /// </summary>
    internal TimeSpan Backoff(int attempt)
    {
        var seconds = Math.Min(Math.Pow(2, Math.Clamp(attempt, 1, 20)), _options.MaxBackoff.TotalSeconds);
        var jitter = 0.8 + (Random.Shared.NextDouble() * 0.4);
        return TimeSpan.FromSeconds(Math.Min(seconds * jitter, _options.MaxBackoff.TotalSeconds));
    }

    private sealed class Totals
    {
        private int _sent, _retried, _failed, _gone, _lost;

        public void Add(OutboxStatus status)
        {
            switch (status)
            {
                case OutboxStatus.Sent: Interlocked.Increment(ref _sent); break;
                case OutboxStatus.Gone: Interlocked.Increment(ref _gone); break;
                default: Interlocked.Increment(ref _failed); break;
            }
        }

        public void Retried() => Interlocked.Increment(ref _retried);

        public void LostToOtherInstance() => Interlocked.Increment(ref _lost);

        public DispatchSummary ToSummary() => new(_sent, _retried, _failed, _gone, _lost);
    }
}
