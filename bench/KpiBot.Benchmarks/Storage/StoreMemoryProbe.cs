using System.Diagnostics;
using System.Globalization;
using KpiBot.Benchmarks.Kpis;
using KpiBot.Kpis;
using KpiBot.Storage;
using KpiBot.Storage.LiteDb;

namespace KpiBot.Benchmarks.Storage;

/// <summary>
/// Process memory for the 1,000-person store (target ≤ 200 MB, docs/performance.md "Storage"): opens the store with
/// the activity cache in front of it, as the host does,
/// loads what a KPI run of every person needs, computes every status, and prints the working set, the GC heap and
/// the GC's committed memory after each step. Not a BenchmarkDotNet benchmark on purpose: memory has to be read in a
/// process of its own, with the host's GC settings (workstation GC, see src/KpiBot/KpiBot.csproj) and nothing of a
/// benchmark harness in it. Run: <c>dotnet run -c Release --project bench/KpiBot.Benchmarks -- memory</c>.
/// </summary>
public static class StoreMemoryProbe
{
    /// <summary>Runs the probe and writes one line per step to <paramref name="output"/>.</summary>
    public static void Run(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        BenchStore.Ensure(output);
        output.WriteLine($"GC: {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}, DOTNET_GCgen0size={Environment.GetEnvironmentVariable("DOTNET_GCgen0size") ?? "(default)"}");
        Report(output, "process started");
        using var context = new LiteDbContext(BenchStore.FilePath);
        var lite = new LiteDbKpiStore(context, TimeProvider.System);
        // The store as the host registers it: the activity cache (default budget) in front of LiteDB, so what the
        // cache keeps after a KPI run of everyone is part of the figure.
        var store = new CachingKpiStore(lite, TimeProvider.System);
        var team = BenchStore.Team(lite);
        var people = store.ListPeople(BenchStore.Workspace);
        Report(output, "store opened");
        var watch = Stopwatch.StartNew();
        var loaded = KpiActivityLoader.Load(store, team, people, SyntheticTeam.AsOf);
        Report(output, string.Create(CultureInfo.InvariantCulture, $"{loaded.Count} people loaded ({loaded.Sum(a => a.Entries.Count)} entries, {loaded.Sum(a => a.Deals.Count)} deals, {watch.Elapsed.TotalSeconds:F1} s)"));
        var danger = loaded.Count(a => KpiEngine.ComputeStatus(team, a, SyntheticTeam.AsOf).State == StatusState.Danger);
        Report(output, $"every status computed ({danger} in Danger)");
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Report(output, "after a full collection");
        GC.KeepAlive(loaded);
        loaded = null!;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Report(output, "the run's records released, the cache kept");
        GC.KeepAlive(store);
    }

    private static void Report(TextWriter output, string step)
    {
        using var process = Process.GetCurrentProcess();
        var info = GC.GetGCMemoryInfo();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"STORE-MEMORY {step}: working set {process.WorkingSet64 / 1048576.0:F0} MB (peak {process.PeakWorkingSet64 / 1048576.0:F0}), GC heap {GC.GetTotalMemory(false) / 1048576.0:F0} MB, GC committed {info.TotalCommittedBytes / 1048576.0:F0} MB"));
    }
}
