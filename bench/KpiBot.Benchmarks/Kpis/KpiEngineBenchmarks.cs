using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using KpiBot.Domain;
using KpiBot.Kpis;

namespace KpiBot.Benchmarks.Kpis;

/// <summary>
/// The KPI engine on a team of 1,000 people × 2 years (about 2 million daily entries and 150,000 deals).
/// Targets (docs/performance.md): one person's full KPI set ≤ 2 ms; all 1,000 statuses ≤ 500 ms.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 2, iterationCount: 5)]
[Config(typeof(SlowBuildConfig))]
public class KpiEngineBenchmarks
{
    private Team team = null!;
    private IReadOnlyList<PersonActivity> people = null!;
    private ConversionReport teamConversion = null!;

    /// <summary>Generates the team once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        (team, people) = SyntheticTeam.Generate(people: 1000, years: 2);
        teamConversion = KpiEngine.ComputeTeamConversion(team, people, SyntheticTeam.AsOf);
    }

    /// <summary>Every KPI of one person, compared with the team's conversion (what "my stats" needs).</summary>
    [Benchmark]
    public PersonKpiReport OnePersonFullKpiSet() => KpiEngine.ComputePerson(team, people[417], SyntheticTeam.AsOf, teamConversion);

    /// <summary>The status of all 1,000 people (what a nudge or "who needs coaching" needs).</summary>
    [Benchmark]
    public int AllThousandStatuses()
    {
        var danger = 0;
        foreach (var person in people)
        {
            if (KpiEngine.ComputeStatus(team, person, SyntheticTeam.AsOf).State == StatusState.Danger)
            {
                danger++;
            }
        }

        return danger;
    }

    /// <summary>The whole team report: totals, team conversion, pipeline, forecast and every person's status and bottleneck.</summary>
    [Benchmark]
    public TeamKpiReport TeamReportOfThousand() => KpiEngine.ComputeTeam(team, people, SyntheticTeam.AsOf);
}

/// <summary>
/// Allows BenchmarkDotNet's generated project ten minutes to build: on the shared 2-core machine the default two
/// minutes run out while other builds compete for the cores.
/// </summary>
public sealed class SlowBuildConfig : ManualConfig
{
    /// <summary>Creates the configuration.</summary>
    public SlowBuildConfig() => WithBuildTimeout(TimeSpan.FromMinutes(10));
}
