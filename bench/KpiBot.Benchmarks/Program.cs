using BenchmarkDotNet.Running;

namespace KpiBot.Benchmarks;

/// <summary>Runs benchmark classes: <c>dotnet run -c Release --project bench/KpiBot.Benchmarks -- --filter '*'</c>.</summary>
public static class BenchmarkProgram
{
    /// <summary>Entry point.</summary>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
}
