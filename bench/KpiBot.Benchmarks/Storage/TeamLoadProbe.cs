using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using KpiBot.Benchmarks.Kpis;
using KpiBot.Domain;
using KpiBot.Kpis;
using KpiBot.Storage;
using KpiBot.Storage.LiteDb;

namespace KpiBot.Benchmarks.Storage;

/// <summary>
/// <c>dotnet run -c Release --project bench/KpiBot.Benchmarks -- --team-load-probe [STORE]</c>: Stopwatch timings of
/// loading the benchmark store's 1,000 people through <see cref="CachingKpiStore"/> (cold, then warm) and without it,
/// one person's load, every status computed from the loaded data, the cache's size, and a check that cached and
/// uncached loads are identical. A console probe, not BenchmarkDotNet: a cold load happens once per process.
/// </summary>
public static class TeamLoadProbe
{
    /// <summary>Runs the probe and prints a Markdown table.</summary>
    public static void Run(string? path, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var context = new LiteDbContext(path ?? BenchStore.Ensure(output));
        var inner = new LiteDbKpiStore(context, TimeProvider.System);
        var cached = new CachingKpiStore(inner, TimeProvider.System);
        var team = BenchStore.Team(inner);
        var people = inner.ListPeople(BenchStore.Workspace);
        var rows = new List<(string What, string Value)>();

        string Time(string what, Func<IReadOnlyList<PersonActivity>> load, out IReadOnlyList<PersonActivity> loaded)
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            loaded = load();
            var wall = watch.Elapsed.TotalMilliseconds;
            var used = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
            var text = string.Create(CultureInfo.InvariantCulture, $"{wall:0} ms wall, {used:0} ms CPU");
            rows.Add((what, text));
            return text;
        }

        Time("all 1,000 people, uncached (LiteDbKpiStore), 1st", () => KpiActivityLoader.Load(inner, team, people, SyntheticTeam.AsOf), out var uncached);
        Time("all 1,000 people, uncached, 2nd", () => KpiActivityLoader.Load(inner, team, people, SyntheticTeam.AsOf), out _);
        Time("all 1,000 people through the cache, cold (fills it)", () => KpiActivityLoader.Load(cached, team, people, SyntheticTeam.AsOf), out _);
        IReadOnlyList<PersonActivity> warm = [];
        for (var i = 1; i <= 3; i++)
        {
            Time($"all 1,000 people through the cache, warm #{i}", () => KpiActivityLoader.Load(cached, team, people, SyntheticTeam.AsOf), out warm);
        }
        rows.Add(("cached load identical to the uncached one (SHA-256 over every record)", (Hash(uncached) == Hash(warm)).ToString()));

        var watch = Stopwatch.StartNew();
        var danger = warm.Count(a => KpiEngine.ComputeStatus(team, a, SyntheticTeam.AsOf).State == StatusState.Danger);
        var statuses = watch.Elapsed.TotalMilliseconds;
        watch.Restart();
        var again = KpiActivityLoader.Load(cached, team, people, SyntheticTeam.AsOf);
        _ = again.Count(a => KpiEngine.ComputeStatus(team, a, SyntheticTeam.AsOf).State == StatusState.Danger);
        rows.Add(("status of all 1,000 (engine only, on loaded data)", string.Create(CultureInfo.InvariantCulture, $"{statuses:0} ms ({danger} in Danger)")));
        rows.Add(("status of all 1,000, warm cache load + engine", string.Create(CultureInfo.InvariantCulture, $"{watch.Elapsed.TotalMilliseconds:0} ms")));

        var sample = Enumerable.Range(0, 30).Select(i => people[(i * 33) % people.Count]).ToList();
        rows.Add(("one person, uncached (median of 30 people)", Median(sample, p => KpiActivityLoader.Load(inner, team, [p], SyntheticTeam.AsOf))));
        rows.Add(("one person, warm cache (median of 30 people)", Median(sample, p => KpiActivityLoader.Load(cached, team, [p], SyntheticTeam.AsOf))));

        uncached = [];
        warm = [];
        again = [];
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        rows.Add(("cache: people, estimated size", string.Create(CultureInfo.InvariantCulture, $"{cached.CachedPeople}, {cached.EstimatedBytes / 1024.0 / 1024.0:0.0} MB (budget {CachingKpiStore.DefaultBudgetBytes / 1024 / 1024} MB)")));
        rows.Add(("process after a full GC: GC heap, working set (LiteDB's page cache included)", string.Create(CultureInfo.InvariantCulture, $"{GC.GetTotalMemory(false) / 1024.0 / 1024.0:0} MB, {Process.GetCurrentProcess().WorkingSet64 / 1024.0 / 1024.0:0} MB")));
        GC.KeepAlive(cached);

        output.WriteLine("| what | measured |");
        output.WriteLine("|---|---|");
        foreach (var (what, value) in rows)
        {
            output.WriteLine($"| {what} | {value} |");
        }
    }

    private static string Median(IReadOnlyList<Person> sample, Action<Person> load)
    {
        var times = new List<double>();
        foreach (var person in sample)
        {
            var watch = Stopwatch.StartNew();
            load(person);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return string.Create(CultureInfo.InvariantCulture, $"{times[times.Count / 2]:0.000} ms (min {times[0]:0.000}, max {times[^1]:0.000})");
    }

    private static string Hash(IReadOnlyList<PersonActivity> activity)
    {
        var text = JsonSerializer.Serialize(activity.Select(a => new
        {
            a.Person.Id,
            Entries = a.Entries.OrderBy(e => e.Date).ThenBy(e => e.RecordedAt).ThenBy(e => e.Id, StringComparer.Ordinal).ToList(),
            a.Deals,
            a.KnownFirstDay,
        }));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
