using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using KpiBot.Benchmarks.Kpis;
using KpiBot.Conversation;
using KpiBot.Conversation.Commands;
using KpiBot.Conversation.Parsing;
using KpiBot.Domain;
using KpiBot.Storage;
using KpiBot.Storage.LiteDb;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KpiBot.Benchmarks.Conversation;

/// <summary>
/// The conversation engine without HTTP: parsing, and whole messages through <see cref="Bot"/> on a LiteDB store
/// holding 1,000 people (the last 16 weeks of their daily entries and all their deals). Targets in
/// docs/performance.md: logging p99 ≤ 20 ms and a trend card p99 ≤ 50 ms end to end; this measures the bot's share.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 2, iterationCount: 8)]
public class BotBenchmarks
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);
    private string directory = null!;
    private ServiceProvider services = null!;
    private Bot bot = null!;
    private TeamBaselineCache baselines = null!;
    private ParseContext parsing = null!;
    private int sequence;

    /// <summary>Fills a temporary store with the synthetic team.</summary>
    [GlobalSetup]
    public void Setup()
    {
        directory = Path.Combine(Path.GetTempPath(), "kpibot-bench-conv", Guid.NewGuid().ToString("N"));
        var (team, people) = SyntheticTeam.Generate(people: 1000, years: 2);
        var collection = new ServiceCollection();
        collection.AddSingleton<TimeProvider>(new FixedClock(Now));
        collection.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        collection.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        collection.AddSingleton(_ => new LiteDbContext(Path.Combine(directory, "kpibot.db")));
        // As the host registers it (StorageHosting): LiteDB behind the activity cache.
        collection.AddSingleton<IKpiStore>(sp => new CachingKpiStore(
            new LiteDbKpiStore(sp.GetRequiredService<LiteDbContext>(), sp.GetRequiredService<TimeProvider>()), sp.GetRequiredService<TimeProvider>()));
        collection.AddConversation();
        services = collection.BuildServiceProvider();
        var store = services.GetRequiredService<IKpiStore>();
        store.EnsureWorkspace(team.WorkspaceId, Platform.Local, "bench", Now);
        var from = SyntheticTeam.AsOf.AddDays(-7 * 16);
        foreach (var chunk in people.Chunk(50))
        {
            var persons = chunk.Select((a, i) => a.Person with { TeamId = TeamIds.Default, PlatformUserId = "U" + a.Person.Id, Role = a.Person.Id.EndsWith("0", StringComparison.Ordinal) ? Role.Manager : Role.Rep }).ToList();
            var entries = chunk.SelectMany(a => a.Entries).Where(e => e.Date >= from).Select(e => e with { Id = string.Empty }).ToList();
            var deals = chunk.SelectMany(a => a.Deals).ToList();
            store.Apply(new ChangeSet(team.WorkspaceId, "bench", "seed-" + chunk[0].Person.Id, "seed", Now, entries, deals, persons, []));
        }
        bot = services.GetRequiredService<Bot>();
        baselines = services.GetRequiredService<TeamBaselineCache>();
        parsing = ParseContext.Default(SyntheticTeam.AsOf);
        Manager = store.ListPeople(team.WorkspaceId).First(p => p.Role == Role.Manager);
        Target = store.ListPeople(team.WorkspaceId).First(p => p.Role == Role.Rep && p.DisplayName.EndsWith("417", StringComparison.Ordinal));

        // Compute the team's conversion baseline once (the slow part: every member's window), as a running bot has.
        var first = Stopwatch.StartNew();
        bot.HandleAsync(Message(Manager, $"how is {Target.DisplayName} trending", "warm-up"), CancellationToken.None).GetAwaiter().GetResult();
        baselines.WhenRefreshed().GetAwaiter().GetResult();
        Console.WriteLine($"// Team baseline for 1,000 people computed in {first.Elapsed.TotalSeconds:0.0} s");
    }

    private Person Manager { get; set; } = null!;

    private Person Target { get; set; } = null!;

    /// <summary>Deletes the store.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        services.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    /// <summary>Parsing one logging message.</summary>
    [Benchmark]
    public ParsedCommand ParseLogMessage() => CommandParser.Parse("log booked 5, held 3 qualified 2 yesterday", parsing);

    /// <summary>A logging message end to end: identify, parse, store durably, build the confirmation.</summary>
    [Benchmark]
    public Task<BotResponse> LogThroughBot() =>
        bot.HandleAsync(Message(Target, "booked 2 held 1", "log-" + Interlocked.Increment(ref sequence)), CancellationToken.None);

    /// <summary>A manager's trend question with the team baseline cached (the usual case).</summary>
    [Benchmark]
    public Task<BotResponse> TrendCardThroughBot() =>
        bot.HandleAsync(Message(Manager, $"how is {Target.DisplayName} trending", "trend-" + Interlocked.Increment(ref sequence)), CancellationToken.None);

    private static IncomingMessage Message(Person person, string text, string sourceId) =>
        new(Platform.Local, "local:bench", person.PlatformUserId!, person.DisplayName, text, sourceId, null, ConversationKind.Personal, null, null, Now);

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
