using BenchmarkDotNet.Running;
using KpiBot.Benchmarks.Storage;

namespace KpiBot.Benchmarks;

/// <summary>
/// Runs benchmark classes: <c>dotnet run -c Release --project bench/KpiBot.Benchmarks -- --filter '*'</c>;
/// <c>-- memory</c> runs the store memory probe instead (<see cref="StoreMemoryProbe"/>).
/// </summary>
public static class BenchmarkProgram
{
    /// <summary>Entry point.</summary>
    public static void Main(string[] args)
    {
        if (args is ["memory"])
        {
            StoreMemoryProbe.Run(Console.Out);
            return;
        }
        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
    }
}
