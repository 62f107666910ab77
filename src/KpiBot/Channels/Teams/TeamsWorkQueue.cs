using System.Threading.Channels;

namespace KpiBot.Channels.Teams;

/// <summary>
/// The work that follows an acknowledgement: the Connector expects <c>/api/messages</c> to answer
/// within seconds and redelivers otherwise, so message handling (bot, render, reply) runs here,
/// after the 200 has gone out.
/// </summary>
public sealed class TeamsWorkQueue : BackgroundService
{
    private readonly Channel<Func<CancellationToken, Task>> _work =
        Channel.CreateBounded<Func<CancellationToken, Task>>(new BoundedChannelOptions(10_000)
        {
            // A full queue makes the endpoint wait instead of dropping acknowledged work.
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = false,
        });

    private readonly ILogger<TeamsWorkQueue> _logger;

    /// <summary>Creates the queue.</summary>
    public TeamsWorkQueue(ILogger<TeamsWorkQueue> logger) => _logger = logger;

    /// <summary>How many work items run at once (replies to different conversations do not wait on each other).</summary>
    public const int Concurrency = 4;

    /// <summary>Queues work to run after the HTTP response.</summary>
    public ValueTask EnqueueAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken) =>
        _work.Writer.WriteAsync(work, cancellationToken);

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => RunAsync(stoppingToken)));

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var work in _work.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await work(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // One failing reply must not stop the others.
                    _logger.LogError(ex, "Teams: a queued reply failed");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
