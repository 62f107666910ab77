using BenchmarkDotNet.Running;
using KpiBot.Benchmarks.Storage;

namespace KpiBot.Benchmarks;

/// <summary>
/// Runs benchmark classes: <c>dotnet run -c Release --project bench/KpiBot.Benchmarks -- --filter '*'</c>;
/// <c>-- memory</c> runs the store memory probe instead (<see cref="StoreMemoryProbe"/>);
/// <c>-- --team-load-probe [STORE]</c> runs <see cref="TeamLoadProbe"/>.
/// </summary>
public static class BenchmarkProgram
{
    /// <summary>Entry point.</summary>
    public static void Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args is ["memory"])
        {
            StoreMemoryProbe.Run(Console.Out);
            return;
        }
        if (args.Length > 0 && args[0] == "--team-load-probe")
        {
            TeamLoadProbe.Run(args.Length > 1 ? args[1] : null, Console.Out);
            return;
        }
        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
    }
}
