using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using KpiBot.Benchmarks.Kpis;
using KpiBot.Domain;
using KpiBot.Import;
using KpiBot.Kpis;
using KpiBot.Storage.LiteDb;

namespace KpiBot.Benchmarks.Storage;

/// <summary>
/// The LiteDB store on 1,000 people × 2 years (docs/performance.md, "Storage"). Targets: opening the store
/// ≤ 1 s; one person's KPI data read quickly; process memory ≤ 200 MB after loading what a KPI run needs.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(StorageJobs.Short))]
public class StoreBenchmarks
{
    private LiteDbContext _context = null!;
    private LiteDbKpiStore _store = null!;
    private Team _team = null!;
    private Person _person = null!;
    private IReadOnlyList<Person> _everyone = null!;

    /// <summary>Generates the store file (first run only) and opens it.</summary>
    [GlobalSetup]
    public void Setup()
    {
        BenchStore.Ensure(Console.Out);
        _context = new LiteDbContext(BenchStore.FilePath);
        _store = new LiteDbKpiStore(_context, TimeProvider.System);
        _team = BenchStore.Team(_store);
        _everyone = _store.ListPeople(BenchStore.Workspace);
        _person = _everyone[417];
    }

    /// <summary>Closes the store.</summary>
    [GlobalCleanup]
    public void Cleanup() => _context.Dispose();

    /// <summary>Open the file, make sure the indexes exist, read the workspace and its teams, close.</summary>
    [Benchmark]
    public int OpenStore()
    {
        using var context = new LiteDbContext(BenchStore.FilePath + ".copy");
        var store = new LiteDbKpiStore(context, TimeProvider.System);
        return store.ListTeams(BenchStore.Workspace).Count + (store.FindWorkspace(BenchStore.Workspace) is null ? 0 : 1);
    }

    /// <summary>Everything one person's KPI set reads: recent entries, relevant deals, first logged day.</summary>
    [Benchmark]
    public PersonActivity ReadOnePersonForKpiSet() => BenchStore.Load(_store, _team, [_person])[0];

    /// <summary>The same data for all 1,000 people (a team report or a nudge run).</summary>
    [Benchmark]
    public int ReadEveryoneForTeamReport() => BenchStore.Load(_store, _team, _everyone).Sum(a => a.Entries.Count);

    /// <summary>A copy of the store for <see cref="OpenStore"/>, so opening never competes with the open handle.</summary>
    [GlobalSetup(Target = nameof(OpenStore))]
    public void SetupOpen()
    {
        BenchStore.Ensure(Console.Out);
        File.Copy(BenchStore.FilePath, BenchStore.FilePath + ".copy", overwrite: true);
        var log = LiteDbContext.LogPathOf(BenchStore.FilePath);
        if (File.Exists(log))
        {
            File.Copy(log, LiteDbContext.LogPathOf(BenchStore.FilePath + ".copy"), overwrite: true);
        }
    }

    /// <summary>Removes the copy.</summary>
    [GlobalCleanup(Target = nameof(OpenStore))]
    public void CleanupOpen()
    {
        File.Delete(BenchStore.FilePath + ".copy");
        File.Delete(LiteDbContext.LogPathOf(BenchStore.FilePath + ".copy"));
    }
}

/// <summary>
/// CRM import throughput: the real Maven export (8,800 rows, 8,300 stored) into a fresh store file per
/// invocation, end to end (CSV, mapping, one bulk transaction, fsync). Target ≥ 20,000 rows/s.
/// </summary>
[Config(typeof(StorageJobs.OncePerInvocation))]
public class ImportBenchmarks
{
    private string _folder = null!;
    private LiteDbContext _context = null!;
    private LiteDbKpiStore _store = null!;

    /// <summary>The Maven export beside the repository.</summary>
    public static string MavenPipeline { get; } = FindMaven();

    /// <summary>A fresh database before each invocation.</summary>
    [IterationSetup]
    public void FreshStore()
    {
        _folder = Path.Combine(Path.GetTempPath(), "kpibot-bench", "import-" + Guid.NewGuid().ToString("N"));
        _context = new LiteDbContext(Path.Combine(_folder, "import.db"));
        _store = new LiteDbKpiStore(_context, TimeProvider.System);
    }

    /// <summary>Drops it.</summary>
    [IterationCleanup]
    public void DropStore()
    {
        _context.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>
    /// Import the 8,800 Maven rows. Also prints the process CPU time of the import ("IMPORT-CPU …"): on a
    /// shared, oversubscribed machine wall time measures the queue for a core, CPU time measures the import.
    /// </summary>
    [Benchmark]
    public int ImportMavenExport()
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var rows = new DealImporter(_store, TimeProvider.System).Import(new DealImportRequest(MavenPipeline, "local:import", Currency: "USD")).RowsRead;
        var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        Console.WriteLine($"IMPORT-CPU rows={rows} cpu-ms={used.TotalMilliseconds:F0} rows-per-cpu-second={rows / used.TotalSeconds:F0}");
        return rows;
    }

    private static string FindMaven()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "KpiBot.sln")))
        {
            dir = dir.Parent;
        }
        var fromEnvironment = Environment.GetEnvironmentVariable("KPIBOT_MAVEN_PIPELINE");
        return fromEnvironment ?? Path.GetFullPath(Path.Combine(dir?.FullName ?? ".", "..", "shared", "data", "maven-crm", "sales_pipeline.csv"));
    }
}

/// <summary>
/// Short in-process jobs for the storage benchmarks. In-process because building BenchmarkDotNet's
/// per-job executable took longer than its two-minute build timeout on the shared 2-core machine; the
/// measured code is the same, only the process isolation between jobs is lost.
/// </summary>
public static class StorageJobs
{
    // The first run generates the 1,000-person store (minutes), longer than the in-process default timeout.
    private static Job InProcess() => Job.Default.WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(40), logOutput: true)).WithLaunchCount(1);

    /// <summary>1 warm-up and 5 measured iterations.</summary>
    public sealed class Short : ManualConfig
    {
        /// <summary>Creates the config.</summary>
        public Short() => AddJob(InProcess().WithWarmupCount(1).WithIterationCount(5));
    }

    /// <summary>One invocation per iteration (a fresh store each time), 2 warm-ups, 10 iterations.</summary>
    public sealed class OncePerInvocation : ManualConfig
    {
        /// <summary>Creates the config.</summary>
        public OncePerInvocation() => AddJob(InProcess().WithWarmupCount(2).WithIterationCount(10).WithInvocationCount(1).WithUnrollFactor(1));
    }
}
