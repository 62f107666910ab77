using System.Threading.Channels;

namespace KpiBot.Channels.Slack;

/// <summary>One piece of work to do after Slack has been acknowledged.</summary>
/// <param name="Description">What it is, for logs ("/kpi from U123").</param>
/// <param name="Run">The work; gets a fresh DI scope and the host's stopping token.</param>
public sealed record SlackWorkItem(string Description, Func<IServiceProvider, CancellationToken, Task> Run);

/// <summary>
/// The bounded queue between "acknowledge within three seconds" and "do the work". Slack retries
/// anything not acknowledged in time, so endpoints only enqueue; a full queue is refused at once
/// (the caller tells the user to try again) instead of blocking the acknowledgement.
/// </summary>
public sealed class SlackWorkQueue
{
    /// <summary>How many items may wait. Enough for bursts; a full queue means the bot is overloaded.</summary>
    public const int Capacity = 1024;

    private readonly Channel<SlackWorkItem> _channel = Channel.CreateBounded<SlackWorkItem>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = false, SingleWriter = false });

    private readonly Lock _gate = new();
    private int _inFlight;
    private TaskCompletionSource _idle = NewIdle(completed: true);

    /// <summary>Queues <paramref name="item"/>; false when the queue is full.</summary>
    public bool TryEnqueue(SlackWorkItem item)
    {
        lock (_gate)
        {
            if (!_channel.Writer.TryWrite(item))
            {
                return false;
            }
            if (_inFlight++ == 0)
            {
                _idle = NewIdle(completed: false);
            }
            return true;
        }
    }

    /// <summary>The reader the background worker drains.</summary>
    internal ChannelReader<SlackWorkItem> Reader => _channel.Reader;

    /// <summary>Marks one dequeued item as finished (successfully or not).</summary>
    internal void Completed()
    {
        lock (_gate)
        {
            if (--_inFlight == 0)
            {
                _idle.TrySetResult();
            }
        }
    }

    /// <summary>Completes when nothing is queued or running (tests wait on it instead of sleeping).</summary>
    public Task WhenIdleAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _idle.Task.WaitAsync(cancellationToken);
        }
    }

    private static TaskCompletionSource NewIdle(bool completed)
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (completed)
        {
            source.SetResult();
        }
        return source;
    }
}

/// <summary>Drains <see cref="SlackWorkQueue"/> with a few concurrent workers, each item in its own DI scope.</summary>
public sealed class SlackWorkProcessor(SlackWorkQueue queue, IServiceScopeFactory scopes, ILogger<SlackWorkProcessor> logger) : BackgroundService
{
    /// <summary>Parallel workers: Web API calls wait on the network, so a few run at once on two cores.</summary>
    public const int Workers = 4;

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => WorkAsync(stoppingToken)));

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var item in queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await item.Run(scope.ServiceProvider, stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    // One failing item must not stop the worker: log it with what it was.
                    logger.LogError(ex, "Slack background work failed: {Work}", item.Description);
                }
                finally
                {
                    queue.Completed();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
