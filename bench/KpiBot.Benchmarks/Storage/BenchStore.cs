using System.Diagnostics;
using KpiBot.Benchmarks.Kpis;
using KpiBot.Domain;
using KpiBot.Kpis;
using KpiBot.Storage.LiteDb;

namespace KpiBot.Benchmarks.Storage;

/// <summary>
/// The benchmark store: the seeded 1,000 people × 2 years of <see cref="SyntheticTeam"/> (about two million
/// daily entries and 150,000 deals) written through <see cref="LiteDbKpiStore.Apply"/>, one change set per
/// person, into a LiteDB file. Generated once and reused (the file name carries the generator version).
/// </summary>
public static class BenchStore
{
    /// <summary>The workspace of the generated data.</summary>
    public const string Workspace = "local:bench";

    /// <summary>People in the store.</summary>
    public const int People = 1000;

    private const string Version = "v1";

    /// <summary>Where the generated file lives (override with KPIBOT_BENCH_STORE).</summary>
    public static string FilePath { get; } = Environment.GetEnvironmentVariable("KPIBOT_BENCH_STORE")
        ?? Path.Combine(Path.GetTempPath(), "kpibot-bench", $"store-{People}x2y-{Version}.db");

    /// <summary>Creates the file unless it exists; returns its path.</summary>
    public static string Ensure(TextWriter? log = null)
    {
        if (File.Exists(FilePath) && File.Exists(FilePath + ".complete"))
        {
            return FilePath;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        foreach (var stale in new[] { FilePath, LiteDbContext.LogPathOf(FilePath), FilePath + ".complete" })
        {
            File.Delete(stale);
        }
        var watch = Stopwatch.StartNew();
        var (team, people) = SyntheticTeam.Generate(People, years: 2);
        var at = new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
        using (var context = new LiteDbContext(FilePath))
        {
            var store = new LiteDbKpiStore(context, TimeProvider.System);
            store.EnsureWorkspace(Workspace, Platform.Local, "Benchmark", at);
            store.Apply(new ChangeSet(Workspace, "bench", "bench:team", "team", at, [], [], [], [team]));
            var entries = 0;
            var deals = 0;
            foreach (var person in people)
            {
                store.Apply(new ChangeSet(Workspace, person.Person.Id, "bench:" + person.Person.Id, "history", at,
                    person.Entries, person.Deals, [person.Person], []));
                entries += person.Entries.Count;
                deals += person.Deals.Count;
            }
            log?.WriteLine($"Generated {People} people, {entries} entries, {deals} deals in {watch.Elapsed.TotalSeconds:F0} s.");
        }
        File.WriteAllText(FilePath + ".complete", DateTime.UtcNow.ToString("O"));
        return FilePath;
    }

    /// <summary>The team of the store.</summary>
    public static Team Team(LiteDbKpiStore store) => store.FindTeam(Workspace, "team-bench")
        ?? throw new InvalidOperationException("The benchmark store has no team-bench.");

    /// <summary>What a KPI run of <paramref name="people"/> as of the benchmark day loads.</summary>
    public static IReadOnlyList<PersonActivity> Load(LiteDbKpiStore store, Team team, IReadOnlyList<Person> people) =>
        KpiBot.Storage.KpiActivityLoader.Load(store, team, people, SyntheticTeam.AsOf);
}
