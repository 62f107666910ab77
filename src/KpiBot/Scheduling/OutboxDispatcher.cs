using System.Collections.Concurrent;
using System.Threading.Channels;
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
    private readonly SemaphoreSlim _freeLane = new(FreeLaneWidth, FreeLaneWidth);

    /// <summary>How many sends that needed no rate-limit wait may be between claim and outcome at once.</summary>
    private const int FreeLaneWidth = 128;

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
        await using var writer = new GroupCommitter(_outbox, InstanceId, _time, _options.LeaseDuration);
        while (!cancellationToken.IsCancellationRequested)
        {
            // Read, then send, then read again: the read never overlaps the group commit's writes.
            var due = _outbox.Due(_time.GetUtcNow(), 100_000).Where(m => _inFlight.TryAdd(m.Key, 0)).ToList();
            if (due.Count == 0)
            {
                break;
            }
            // Conversations in parallel; inside one conversation in order, one after the other, so a
            // "conversation gone" answer stops the messages queued behind it.
            var work = due.GroupBy(m => m.AddressKey, StringComparer.Ordinal)
                .Select(conversation => SendInOrderAsync(conversation.ToList(), writer, totals, cancellationToken))
                .ToList();
            await Task.WhenAll(work).ConfigureAwait(false);
        }
        return totals.ToSummary();
    }

    private async Task SendInOrderAsync(IReadOnlyList<OutboxMessage> messages, GroupCommitter writer, Totals totals, CancellationToken cancellationToken)
    {
        foreach (var message in messages)
        {
            await SendOneAsync(message, writer, totals, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task SendOneAsync(OutboxMessage message, GroupCommitter writer, Totals totals, CancellationToken cancellationToken)
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
            var paced = wait > TimeSpan.Zero;
            if (paced)
            {
                await Task.Delay(WholeMilliseconds(wait), _time, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // Free to go now: these come by the thousand in a fan-out (every Slack channel, the first message of
                // each conversation and tenant). A few at a time, so a message that waited for its slot on a busy
                // tenant finds its claim at the front of the group commit instead of behind all of them: a paced
                // send that runs late delays every message after it in its tenant.
                await _freeLane.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            try
            {
                await ClaimSendAndRecordAsync(message, address, sender, writer, totals, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                if (!paced)
                {
                    _freeLane.Release();
                }
            }
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

    private async Task ClaimSendAndRecordAsync(OutboxMessage message, ConversationAddress address, IProactiveSender sender, GroupCommitter writer, Totals totals, CancellationToken cancellationToken)
    {
        // Claim only now, right before sending, so the lease covers the send and not the queueing.
        var claimed = await writer.ClaimAsync(message).ConfigureAwait(false);
        if (claimed is null)
        {
            totals.LostToOtherInstance();
            return;
        }

        // The claim and its commit took time since the booking: check the windows again against the times
        // messages really went out, so a late send waits a moment instead of bunching with the next ones.
        while (!_limiter.TryBeginSend(address, out var retryIn))
        {
            await Task.Delay(WholeMilliseconds(retryIn), _time, cancellationToken).ConfigureAwait(false);
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
        await RecordAsync(claimed, address, outcome, writer, totals).ConfigureAwait(false);
    }

    private async Task RecordAsync(OutboxMessage message, ConversationAddress address, SendOutcome outcome, GroupCommitter writer, Totals totals)
    {
        var now = _time.GetUtcNow();
        switch (outcome.Status)
        {
            case SendStatus.Sent:
                if (!await writer.CompleteAsync(new OutboxCompletion(message.Key, OutboxStatus.Sent, now, outcome.MessageId)).ConfigureAwait(false))
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
                // The platform's Retry-After is its word on when to come back; the backoff is for failures without one.
                var next = now + (retryAfter > TimeSpan.Zero ? retryAfter : backoff);
                await writer.CompleteAsync(new OutboxCompletion(message.Key, OutboxStatus.Pending, now, NextAttemptAt: next, Error: outcome.Error ?? "Throttled or a transient platform error.")).ConfigureAwait(false);
                totals.Retried();
                _logger.LogInformation("Retrying {Kind} {Key} at {Next:o} (attempt {Attempt}): {Error}", message.Kind, message.Key, next, message.Attempts, outcome.Error);
                break;
            case SendStatus.RetryLater:
                await writer.CompleteAsync(new OutboxCompletion(message.Key, OutboxStatus.Failed, now, Error: $"Gave up after {message.Attempts} attempts: {outcome.Error}")).ConfigureAwait(false);
                totals.Add(OutboxStatus.Failed);
                _logger.LogWarning("Gave up {Kind} {Key} after {Attempts} attempts: {Error}", message.Kind, message.Key, message.Attempts, outcome.Error);
                break;
            case SendStatus.ConversationGone:
                _directory.MarkInactive(address.Key, outcome.Error ?? "The bot was removed from the conversation.", now);
                await writer.CompleteAsync(new OutboxCompletion(message.Key, OutboxStatus.Gone, now, Error: outcome.Error ?? "The bot was removed from the conversation.")).ConfigureAwait(false);
                totals.Add(OutboxStatus.Gone);
                _logger.LogInformation("Conversation {Address} is gone; {Key} dropped: {Error}", address.Key, message.Key, outcome.Error);
                break;
            default:
                await writer.CompleteAsync(new OutboxCompletion(message.Key, OutboxStatus.Failed, now, Error: outcome.Error ?? "The platform refused the message.")).ConfigureAwait(false);
                totals.Add(OutboxStatus.Failed);
                _logger.LogWarning("{Kind} {Key} failed permanently: {Error}", message.Kind, message.Key, outcome.Error);
                break;
        }
    }

    /// <summary>
    /// Timers count in whole milliseconds and drop the rest, which would let a slot 33.3 ms away fire at 33 ms;
    /// rounding up keeps every send at or after its slot.
    /// </summary>
    private static TimeSpan WholeMilliseconds(TimeSpan wait) => TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds));

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

    /// <summary>
    /// Group commit: claims and outcomes requested by many concurrent sends are written in one store
    /// transaction per batch, so a fan-out pays one durable commit per batch instead of two per message.
    /// A send still waits for its own claim to be committed before it goes out, and for its outcome to be
    /// committed before it counts as done.
    /// </summary>
    private sealed class GroupCommitter : IAsyncDisposable
    {
        private const int MaxBatch = 2_000;
        private readonly Channel<object> _requests = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
        private readonly IOutbox _outbox;
        private readonly string _owner;
        private readonly TimeProvider _time;
        private readonly TimeSpan _lease;
        private readonly Task _loop;

        public GroupCommitter(IOutbox outbox, string owner, TimeProvider time, TimeSpan lease)
        {
            _outbox = outbox;
            _owner = owner;
            _time = time;
            _lease = lease;
            _loop = Task.Run(RunAsync);
        }

        /// <summary>Claims <paramref name="message"/>; the claimed copy (status, lease, attempt count updated) or null.</summary>
        public Task<OutboxMessage?> ClaimAsync(OutboxMessage message)
        {
            var request = new ClaimRequest(message, new TaskCompletionSource<OutboxMessage?>(TaskCreationOptions.RunContinuationsAsynchronously));
            _requests.Writer.TryWrite(request);
            return request.Done.Task;
        }

        public Task<bool> CompleteAsync(OutboxCompletion completion)
        {
            var request = new CompleteRequest(completion, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
            _requests.Writer.TryWrite(request);
            return request.Done.Task;
        }

        public async ValueTask DisposeAsync()
        {
            _requests.Writer.TryComplete();
            await _loop.ConfigureAwait(false);
        }

        private async Task RunAsync()
        {
            var reader = _requests.Reader;
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                var claims = new List<ClaimRequest>();
                var completions = new List<CompleteRequest>();
                while (claims.Count + completions.Count < MaxBatch && reader.TryRead(out var request))
                {
                    if (request is ClaimRequest claim)
                    {
                        claims.Add(claim);
                    }
                    else
                    {
                        completions.Add((CompleteRequest)request);
                    }
                }
                if (completions.Count > 0)
                {
                    try
                    {
                        var applied = _outbox.CompleteMany(completions.Select(c => c.Completion).ToList(), _owner);
                        for (var i = 0; i < completions.Count; i++)
                        {
                            completions[i].Done.TrySetResult(applied[i]);
                        }
                    }
                    catch (Exception e)
                    {
                        completions.ForEach(c => c.Done.TrySetException(e));
                    }
                }
                if (claims.Count > 0)
                {
                    try
                    {
                        var now = _time.GetUtcNow();
                        var claimed = _outbox.TryClaimMany(claims.Select(c => c.Message.Key).ToList(), _owner, now, _lease);
                        for (var i = 0; i < claims.Count; i++)
                        {
                            // The stored document now says exactly this; no need to read it back.
                            var m = claims[i].Message;
                            claims[i].Done.TrySetResult(claimed[i]
                                ? m with { Status = OutboxStatus.Sending, LeaseOwner = _owner, LeaseUntil = now + _lease, Attempts = m.Attempts + 1 }
                                : null);
                        }
                    }
                    catch (Exception e)
                    {
                        claims.ForEach(c => c.Done.TrySetException(e));
                    }
                }
            }
        }

        private sealed record ClaimRequest(OutboxMessage Message, TaskCompletionSource<OutboxMessage?> Done);

        private sealed record CompleteRequest(OutboxCompletion Completion, TaskCompletionSource<bool> Done);
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
