using BenchmarkDotNet.Running;
using KpiBot.Benchmarks.Slack;
using KpiBot.Benchmarks.Storage;

namespace KpiBot.Benchmarks;

/// <summary>
/// Runs benchmark classes: <c>dotnet run -c Release --project bench/KpiBot.Benchmarks -- --filter '*'</c>;
/// <c>-- memory</c> runs the store memory probe instead (<see cref="StoreMemoryProbe"/>);
/// <c>-- --team-load-probe [STORE]</c> runs <see cref="TeamLoadProbe"/>; <c>-- slack-vs-bolt</c> the Slack
/// acknowledgement comparison (<see cref="SlackVersusBolt"/>).
/// </summary>
public static class BenchmarkProgram
{
    /// <summary>Entry point.</summary>
    public static async Task<int> Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        switch (args)
        {
            case ["memory"]:
                StoreMemoryProbe.Run(Console.Out);
                return 0;
            case ["--team-load-probe", ..]:
                TeamLoadProbe.Run(args.Length > 1 ? args[1] : null, Console.Out);
                return 0;
            case ["slack-vs-bolt", ..]:
                return await SlackVersusBolt.RunAsync(args[1..], Console.Out);
            default:
                BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
                return 0;
        }
    }
}
