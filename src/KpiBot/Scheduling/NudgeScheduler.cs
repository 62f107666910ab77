using Microsoft.Extensions.Options;

namespace KpiBot.Scheduling;

/// <summary>
/// The background loop: plans due nudges, digests and reminders into the outbox, then drains the outbox.
/// Every wait goes through the injected <see cref="TimeProvider"/>, so tests drive it with a fake clock.
/// The first pass runs at start-up, which is what sends a nudge missed during downtime (inside the grace window).
/// </summary>
public sealed class NudgeScheduler : BackgroundService
{
    private readonly Func<NudgePlanner?> _planner;
    private readonly Func<OutboxDispatcher?> _dispatcher;
    private readonly Func<IOutbox?> _outbox;
    private readonly TimeProvider _time;
    private readonly NudgeOptions _options;
    private readonly ILogger<NudgeScheduler> _logger;

    /// <summary>
    /// Creates the loop. The parts are resolved lazily so a host without a KPI store or conversation directory
    /// (an area not wired yet) still starts, with nudges reported off.
    /// </summary>
    public NudgeScheduler(Func<NudgePlanner?> planner, Func<OutboxDispatcher?> dispatcher, Func<IOutbox?> outbox, TimeProvider time, IOptions<NudgeOptions> options, ILogger<NudgeScheduler> logger)
    {
        _planner = planner ?? throw new ArgumentNullException(nameof(planner));
        _dispatcher = dispatcher ?? throw new ArgumentNullException(nameof(dispatcher));
        _outbox = outbox ?? throw new ArgumentNullException(nameof(outbox));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _options = options?.Value ?? throw new ArgumentNullException(nameof(options));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    private static readonly TimeSpan MinimumPause = TimeSpan.FromSeconds(1);

    /// <summary>Completes each time a pass has finished (tests and diagnostics wait on it).</summary>
    public event EventHandler<PassCompletedEventArgs>? PassCompleted;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            _logger.LogInformation("Nudges are off (Nudges:Enabled is false)");
            return;
        }
        var planner = _planner();
        var dispatcher = _dispatcher();
        var outbox = _outbox();
        if (planner is null || dispatcher is null || outbox is null)
        {
            _logger.LogWarning("Nudges are off: the KPI store or the conversation directory is not registered");
            return;
        }
        _logger.LogInformation("Nudges on: instance {Instance}, polling every {Poll}, grace window {Grace}", dispatcher.InstanceId, _options.PollInterval, _options.GraceWindow);
        while (!stoppingToken.IsCancellationRequested)
        {
            PlanSummary plan = new(0, 0, 0, 0);
            DispatchSummary sent = DispatchSummary.Empty;
            try
            {
                plan = planner.PlanDue();
                sent = await dispatcher.DrainAsync(stoppingToken).ConfigureAwait(false);
                if (plan.TeamNudges + plan.Digests + plan.Reminders + sent.Sent + sent.Failed + sent.Gone > 0)
                {
                    _logger.LogInformation("Nudge pass: queued {Nudges} nudges, {Digests} digests, {Reminders} reminders; sent {Sent}, retrying {Retried}, failed {Failed}, gone {Gone}",
                        plan.TeamNudges, plan.Digests, plan.Reminders, sent.Sent, sent.Retried, sent.Failed, sent.Gone);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _logger.LogError(e, "A nudge pass failed; trying again in {Poll}", _options.PollInterval);
            }
            PassCompleted?.Invoke(this, new PassCompletedEventArgs(plan, sent));

            var now = _time.GetUtcNow();
            var wait = _options.PollInterval;
            if (outbox.NextWakeAfter(now) is { } retryAt && retryAt - now < wait)
            {
                // Wake for a due retry, but never spin: at least one second between passes.
                wait = retryAt - now < MinimumPause ? MinimumPause : retryAt - now;
            }
            try
            {
                await Task.Delay(wait, _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }
}

/// <summary>The result of one scheduler pass.</summary>
public sealed class PassCompletedEventArgs(PlanSummary plan, DispatchSummary dispatch) : EventArgs
{
    /// <summary>What was queued.</summary>
    public PlanSummary Plan { get; } = plan;

    /// <summary>What was sent.</summary>
    public DispatchSummary Dispatch { get; } = dispatch;
}
