using System.Collections.Concurrent;
using KpiBot.Channels.Inbox;
using KpiBot.Storage.LiteDb;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace KpiBot.Tests.Channels;

/// <summary>The durable hand-off between a platform acknowledgement and the work: nothing lost, nothing twice.</summary>
public sealed class DurableInboxTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "kpibot-tests", Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero));

    private string DbPath => Path.Combine(_dir, "inbox.db");

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    /// <summary>Records every payload it is given; fails the first <see cref="FailuresLeft"/> calls.</summary>
    private sealed class RecordingHandler(Journal journal) : IInboxHandler
    {
        public Task HandleAsync(string payload, CancellationToken cancellationToken)
        {
            journal.Calls.Enqueue(payload);
            if (Interlocked.Decrement(ref journal.FailuresLeft) >= 0)
            {
                throw new InvalidOperationException("the platform is down");
            }
            journal.Handled.Enqueue(payload);
            return Task.CompletedTask;
        }
    }

    private sealed class Journal
    {
        public ConcurrentQueue<string> Calls { get; } = new();
        public ConcurrentQueue<string> Handled { get; } = new();
        public int FailuresLeft;
    }

    private ServiceProvider Services(LiteDbContext context, Journal journal)
    {
        var services = new ServiceCollection();
        services.AddSingleton(context);
        services.AddSingleton<TimeProvider>(_clock);
        services.AddSingleton(journal);
        services.AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>));
        services.AddInboxHandler<RecordingHandler>("test.work");
        return services.BuildServiceProvider();
    }

    private static IHostedService Processor(ServiceProvider services) => services.GetServices<IHostedService>().OfType<InboxProcessor>().Single();

    [Fact]
    public async Task An_accepted_delivery_is_handled_once_and_a_retry_of_it_is_recognised()
    {
        using var context = new LiteDbContext(DbPath);
        var journal = new Journal();
        await using var services = Services(context, journal);
        var inbox = services.GetRequiredService<DurableInbox>();
        var processor = Processor(services);
        await processor.StartAsync(CancellationToken.None);

        Assert.Equal(InboxAcceptance.Accepted, inbox.TryAccept("slack:event:Ev1", "test.work", "log booked 5"));
        Assert.Equal(InboxAcceptance.Duplicate, inbox.TryAccept("slack:event:Ev1", "test.work", "log booked 5"));
        await inbox.WhenIdleAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(InboxAcceptance.Duplicate, inbox.TryAccept("slack:event:Ev1", "test.work", "log booked 5"));
        await inbox.WhenIdleAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["log booked 5"], journal.Handled);
        await processor.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_delivery_accepted_just_before_a_crash_is_handled_on_the_next_start()
    {
        Directory.CreateDirectory(_dir);
        var firstRun = new Journal();
        using (var context = new LiteDbContext(DbPath))
        {
            await using var services = Services(context, firstRun);
            // The adapter accepted and acknowledged, then the process died before any worker ran.
            Assert.Equal(InboxAcceptance.Accepted, services.GetRequiredService<DurableInbox>().TryAccept("teams:activity:1", "test.work", "held 3"));
        }

        var secondRun = new Journal();
        using (var context = new LiteDbContext(DbPath))
        {
            await using var services = Services(context, secondRun);
            var inbox = services.GetRequiredService<DurableInbox>();
            var processor = Processor(services);
            await processor.StartAsync(CancellationToken.None);
            await inbox.WhenIdleAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
            await processor.StopAsync(CancellationToken.None);
            Assert.Equal(InboxAcceptance.Duplicate, inbox.TryAccept("teams:activity:1", "test.work", "held 3"));
        }

        Assert.Empty(firstRun.Calls);
        Assert.Equal(["held 3"], secondRun.Handled);
    }

    [Fact]
    public async Task A_failing_delivery_is_retried_with_backoff_and_then_parked()
    {
        using var context = new LiteDbContext(DbPath);
        var journal = new Journal { FailuresLeft = int.MaxValue };
        await using var services = Services(context, journal);
        var inbox = services.GetRequiredService<DurableInbox>();
        var processor = Processor(services);
        await processor.StartAsync(CancellationToken.None);

        inbox.TryAccept("slack:command:T1", "test.work", "won Acme 120k");
        await inbox.WhenIdleAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Single(journal.Calls);

        // Backoff 2, 4, 8, 16 s; the retry loop looks every 2 s of the injected clock.
        for (var step = 0; step < 40 && journal.Calls.Count < DurableInbox.MaxAttempts; step++)
        {
            _clock.Advance(TimeSpan.FromSeconds(2));
            await Task.Delay(20);
            await inbox.WhenIdleAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        }
        Assert.Equal(DurableInbox.MaxAttempts, journal.Calls.Count);

        _clock.Advance(TimeSpan.FromMinutes(5));
        await Task.Delay(50);
        await inbox.WhenIdleAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(DurableInbox.MaxAttempts, journal.Calls.Count);
        Assert.Empty(inbox.PendingKeys(DateTimeOffset.MaxValue));
        await processor.StopAsync(CancellationToken.None);
    }

    [Fact]
    public void Two_handlers_for_one_kind_fail_at_start_up()
    {
        using var context = new LiteDbContext(DbPath);
        var services = new ServiceCollection();
        services.AddSingleton(context);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new Journal());
        services.AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>));
        services.AddInboxHandler<RecordingHandler>("test.work");
        services.AddInboxHandler<RecordingHandler>("test.work");
        using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<InvalidOperationException>(() => provider.GetServices<IHostedService>().ToList());
        Assert.Contains("Two inbox handlers take 'test.work'", error.Message, StringComparison.Ordinal);
    }
}
