namespace KpiBot.Channels.Inbox;

/// <summary>
/// Works the <see cref="DurableInbox"/>: on start everything accepted but not done (a crash, a deploy) is
/// scheduled again; then a few workers take items as they are accepted, each in its own DI scope, and a
/// slow loop re-schedules failed attempts when their backoff is over.
/// </summary>
public sealed partial class InboxProcessor : BackgroundService
{
    /// <summary>Items handled at once (replies to different people do not wait on each other).</summary>
    public const int Concurrency = 4;

    private static readonly TimeSpan RetryPoll = TimeSpan.FromSeconds(2);
    private readonly DurableInbox _inbox;
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _clock;
    private readonly ILogger<InboxProcessor> _logger;
    private readonly IReadOnlyDictionary<string, Type> _handlerTypes;

    /// <summary>Creates the processor; two handlers of one kind fail here, at start-up.</summary>
    public InboxProcessor(DurableInbox inbox, IServiceScopeFactory scopes, IEnumerable<IInboxHandlerRegistration> registrations, TimeProvider clock, ILogger<InboxProcessor> logger)
    {
        _inbox = inbox ?? throw new ArgumentNullException(nameof(inbox));
        _scopes = scopes ?? throw new ArgumentNullException(nameof(scopes));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        var types = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var registration in registrations ?? throw new ArgumentNullException(nameof(registrations)))
        {
            if (!types.TryAdd(registration.Kind, registration.HandlerType))
            {
                throw new InvalidOperationException($"Two inbox handlers take '{registration.Kind}': {types[registration.Kind].Name} and {registration.HandlerType.Name}.");
            }
        }
        _handlerTypes = types;
    }

    /// <summary>
    /// Schedules what the last run accepted but did not finish, before the web server takes new deliveries
    /// (hosted services start first), so a replayed item is never scheduled twice.
    /// </summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var replayed = _inbox.PendingKeys(DateTimeOffset.MaxValue);
        if (replayed.Count > 0)
        {
            LogReplaying(replayed.Count);
        }
        foreach (var key in replayed)
        {
            _inbox.Schedule(key);
        }
        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => WorkAsync(stoppingToken)).Append(RetryLoopAsync(stoppingToken)));

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var key in _inbox.Ready.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await HandleAsync(key, stoppingToken).ConfigureAwait(false);
                }
                finally
                {
                    _inbox.Finished(key);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: what is not done stays pending in the store and runs on the next start.
        }
    }

    private async Task HandleAsync(string key, CancellationToken stoppingToken)
    {
        var item = _inbox.Claim(key);
        if (item is null)
        {
            return;
        }
        if (!_handlerTypes.TryGetValue(item.Kind, out var handlerType))
        {
            _inbox.MarkFailed(item, $"no handler takes '{item.Kind}'");
            LogNoHandler(item.Kind, key);
            return;
        }
        try
        {
            using var scope = _scopes.CreateScope();
            var handler = (IInboxHandler)scope.ServiceProvider.GetRequiredService(handlerType);
            await handler.HandleAsync(item.Payload, stoppingToken).ConfigureAwait(false);
            _inbox.MarkDone(item);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Left pending: replayed on the next start.
        }
        catch (Exception e)
        {
            var retry = _inbox.MarkFailed(item, e.Message);
            LogFailed(e, item.Kind, key, item.Attempts, retry);
        }
    }

    private async Task RetryLoopAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(RetryPoll, _clock, stoppingToken).ConfigureAwait(false);
                foreach (var key in _inbox.PendingKeys(_clock.GetUtcNow()))
                {
                    // Items never tried are already on the ready queue; only those whose backoff is over come here.
                    if (_inbox.Claim(key) is { Attempts: > 0 })
                    {
                        _inbox.Schedule(key);
                    }
                }
                _inbox.Prune();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Inbox: {Count} accepted deliveries were not finished before the last stop; handling them now")]
    private partial void LogReplaying(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Inbox: no handler takes '{Kind}' (item {Key})")]
    private partial void LogNoHandler(string kind, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inbox: handling {Kind} {Key} failed (attempt {Attempts}; retrying: {Retry})")]
    private partial void LogFailed(Exception exception, string kind, string key, int attempts, bool retry);
}

/// <summary>Which handler type takes which inbox kind (registered by <see cref="InboxHosting.AddInboxHandler{T}"/>).</summary>
public interface IInboxHandlerRegistration
{
    /// <summary>The item kind.</summary>
    string Kind { get; }

    /// <summary>The scoped handler type.</summary>
    Type HandlerType { get; }
}

/// <summary>Registers the durable inbox and its handlers.</summary>
public static class InboxHosting
{
    private sealed record Registration(string Kind, Type HandlerType) : IInboxHandlerRegistration;

    /// <summary>Adds the inbox and its processor once; call from every channel that uses it.</summary>
    public static IServiceCollection AddDurableInbox(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(DurableInbox)))
        {
            return services;
        }
        services.AddSingleton<DurableInbox>();
        services.AddHostedService<InboxProcessor>();
        return services;
    }

    /// <summary>Registers <typeparamref name="T"/> as the handler of <paramref name="kind"/>.</summary>
    public static IServiceCollection AddInboxHandler<T>(this IServiceCollection services, string kind)
        where T : class, IInboxHandler
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddDurableInbox();
        services.AddScoped<T>();
        services.AddSingleton<IInboxHandlerRegistration>(new Registration(kind, typeof(T)));
        return services;
    }
}
