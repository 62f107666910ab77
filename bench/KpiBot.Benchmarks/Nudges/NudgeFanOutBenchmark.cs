using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace KpiBot.Benchmarks.Nudges;

/// <summary>
/// The weekly fan-out to 5,000 team channels and 20,000 people against a rate-limited fake platform, run once
/// in process (it takes as long as the limits make it): <c>dotnet run -c Release --project bench/KpiBot.Benchmarks -- --filter '*NudgeFanOut*'</c>.
/// The run fails if anything is lost or duplicated; the measured time and the minimum are printed.
/// </summary>
[Config(typeof(OneShotConfig))]
public class NudgeFanOutBenchmark
{
    /// <summary>One fan-out.</summary>
    [Benchmark]
    public async Task FanOut()
    {
        // The outbox in a LiteDB file with durable (fsync) commits, as in production.
        var path = Path.Combine(Path.GetTempPath(), "kpibot-fanout-" + Guid.NewGuid().ToString("N"), "kpibot.db");
        var result = await NudgeFanOut.RunAsync(FanOutShape.Target with { DatabasePath = path }).ConfigureAwait(false);
        Console.WriteLine($"// NudgeFanOut: {result}");
        if (result.Lost > 0 || result.Duplicated > 0)
        {
            throw new InvalidOperationException($"Fan-out lost {result.Lost} and duplicated {result.Duplicated} messages.");
        }
    }

    private sealed class OneShotConfig : ManualConfig
    {
        public OneShotConfig() => AddJob(Job.Dry.WithToolchain(InProcessEmitToolchain.Instance).WithStrategy(RunStrategy.Monitoring)
            .WithLaunchCount(1).WithWarmupCount(0).WithIterationCount(1).WithInvocationCount(1).WithUnrollFactor(1));
    }
}
