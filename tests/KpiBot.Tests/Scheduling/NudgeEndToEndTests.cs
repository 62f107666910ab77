using KpiBot.Channels;
using KpiBot.Conversation;
using KpiBot.Domain;
using KpiBot.Replies;
using KpiBot.Scheduling;
using KpiBot.Storage;
using KpiBot.Storage.LiteDb;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace KpiBot.Tests.Scheduling;

/// <summary>
/// The "done" check through the real bot, the real LiteDB store and directory on a file and the
/// background scheduler on a fake clock: an admin sets a nudge for a minute from now, the channel receives
/// it once, a restart does not repeat it, and the manager receives the digest.
/// </summary>
public sealed class NudgeEndToEndTests : IDisposable
{
    // Friday 2026-12-04 10:00 UTC = 11:00 in Stockholm (the default team zone).
    private static readonly DateTimeOffset Start = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);
    private const string Ws = "local:e2e";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "kpibot-nudge-tests", Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly RecordingSender _sender = new(Platform.Local);

    private ServiceProvider Host()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Nudges:PollInterval"] = "00:00:30",
            ["Nudges:InstanceId"] = "e2e-" + Guid.NewGuid().ToString("N")[..6],
        }).Build());
        services.AddSingleton<TimeProvider>(_clock);
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton(_ => new LiteDbContext(Path.Combine(_folder, "kpibot.db")));
        services.AddSingleton<IKpiStore>(sp => new LiteDbKpiStore(sp.GetRequiredService<LiteDbContext>(), _clock));
        services.AddSingleton<IConversationDirectory>(sp => new LiteDbConversationDirectory(sp.GetRequiredService<LiteDbContext>()));
        services.AddConversation();
        services.AddScheduling();
        services.AddSingleton<IProactiveSender>(_sender);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    private static IncomingMessage Say(string user, string name, string text, string conversation, ConversationKind kind, DateTimeOffset at) =>
        new(Platform.Local, Ws, user, name, text, Guid.NewGuid().ToString("N"), conversation, kind, null, null, at);

    private static ConversationAddress Address(string conversation, ConversationKind kind, string? name, string? user) =>
        new(ConversationAddress.KeyOf(Platform.Local, Ws, conversation), Platform.Local, Ws, conversation, kind, name, null, user, new Dictionary<string, string>(), true, Start);

    /// <summary>Runs the background scheduler while the fake clock moves forward in <paramref name="step"/>s.</summary>
    private async Task RunSchedulerAsync(ServiceProvider host, TimeSpan duration, TimeSpan step)
    {
        var scheduler = host.GetRequiredService<NudgeScheduler>();
        using var passes = new SemaphoreSlim(0);
        scheduler.PassCompleted += (_, _) => passes.Release();
        await scheduler.StartAsync(CancellationToken.None);
        Assert.True(await passes.WaitAsync(TimeSpan.FromSeconds(30)), "the scheduler runs a pass at start");
        var end = _clock.GetUtcNow() + duration;
        while (_clock.GetUtcNow() < end)
        {
            _clock.Advance(step);
            // The loop may not be waiting on the clock yet; nudge time forward again until a pass runs.
            while (!await passes.WaitAsync(TimeSpan.FromMilliseconds(200)))
            {
                _clock.Advance(TimeSpan.FromSeconds(1));
            }
        }
        await scheduler.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task AnAdminSetsANudgeForAMinuteFromNowTheChannelGetsItOnceAndTheManagerTheDigest()
    {
        var channel = Address("C-sales", ConversationKind.Channel, "sales", null);
        var managerChat = Address("D-cec", ConversationKind.Personal, null, "U_CEC");
        using (var host = Host())
        {
            var bot = host.GetRequiredService<IBot>();
            await bot.HandleAsync(Say("U_ADA", "Ada Admin", "hi", "D-ada", ConversationKind.Personal, Start), CancellationToken.None);
            await bot.HandleAsync(Say("U_BOB", "Bob Berg", "hi", "D-bob", ConversationKind.Personal, Start), CancellationToken.None);
            await bot.HandleAsync(Say("U_CEC", "Cecilia Öst", "hi", "D-cec", ConversationKind.Personal, Start), CancellationToken.None);
            await bot.HandleAsync(Say("U_ADA", "Ada Admin", "make Cecilia manager", "D-ada", ConversationKind.Personal, Start), CancellationToken.None);
            var directory = host.GetRequiredService<IConversationDirectory>();
            directory.Save(channel);
            directory.Save(managerChat);

            var set = await bot.HandleAsync(Say("U_ADA", "Ada Admin", "nudge fridays 11:01", "C-sales", ConversationKind.Channel, Start), CancellationToken.None);
            Assert.Contains("every Friday at 11:01", set.Replies[^1].Summary, StringComparison.Ordinal);

            await RunSchedulerAsync(host, TimeSpan.FromMinutes(3), TimeSpan.FromSeconds(30));

            Assert.Equal(1, _sender.CountTo(channel.Key));
            Assert.Equal(1, _sender.CountTo(managerChat.Key));
            var nudge = _sender.Sent.Single(s => s.AddressKey == channel.Key).Reply;
            Assert.Equal(ReplyVisibility.Conversation, nudge.Visibility);
            Assert.Contains(nudge.Blocks.OfType<Mentions>().Single().People, p => p.DisplayName == "Bob Berg");
            var digest = _sender.Sent.Single(s => s.AddressKey == managerChat.Key).Reply;
            Assert.Equal(ReplyVisibility.Private, digest.Visibility);
            Assert.Contains("manager digest", digest.Blocks.OfType<Heading>().Single().Text, StringComparison.Ordinal);
        }

        // A restart: a new process on the same database file runs for two hours and repeats nothing.
        using (var restarted = Host())
        {
            await RunSchedulerAsync(restarted, TimeSpan.FromHours(2), TimeSpan.FromMinutes(10));
        }

        Assert.Equal(1, _sender.CountTo(channel.Key));
        Assert.Equal(1, _sender.CountTo(managerChat.Key));
    }

    [Fact]
    public async Task TheCommandsAreInTheBotsRoutingTableAndAdminOnly()
    {
        using var host = Host();
        var bot = host.GetRequiredService<IBot>();
        await bot.HandleAsync(Say("U_ADA", "Ada Admin", "hi", "D-ada", ConversationKind.Personal, Start), CancellationToken.None);
        await bot.HandleAsync(Say("U_BOB", "Bob Berg", "hi", "D-bob", ConversationKind.Personal, Start), CancellationToken.None);

        var rep = await bot.HandleAsync(Say("U_BOB", "Bob Berg", "nudges", "D-bob", ConversationKind.Personal, Start), CancellationToken.None);
        var admin = await bot.HandleAsync(Say("U_ADA", "Ada Admin", "nudges", "D-ada", ConversationKind.Personal, Start), CancellationToken.None);
        var snooze = await bot.HandleAsync(Say("U_BOB", "Bob Berg", "remind snooze", "D-bob", ConversationKind.Personal, Start), CancellationToken.None);

        Assert.Contains("admin", string.Join(" ", rep.Replies.Select(r => r.Summary)), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("No weekly nudge is set", admin.Replies[^1].Summary, StringComparison.Ordinal);
        Assert.StartsWith("Snoozed", snooze.Replies[^1].Summary, StringComparison.Ordinal);
        var bob = host.GetRequiredService<IKpiStore>().FindPersonByPlatformUser(Ws, "U_BOB")!;
        Assert.NotNull(host.GetRequiredService<INudgeStore>().FindReminderState(Ws, bob.Id)!.SnoozedThrough);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
