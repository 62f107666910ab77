using KpiBot.Charts;
using KpiBot.Replies;

namespace KpiBot.Tests.Rendering;

/// <summary>An <see cref="IChartImages"/> that hands out predictable URLs and records what was registered.</summary>
public sealed class RecordingChartImages : IChartImages
{
    private readonly List<Chart> registered = [];

    /// <summary>Charts registered so far.</summary>
    public IReadOnlyList<Chart> Registered => registered;

    /// <inheritdoc />
    public string UrlFor(Chart chart) => "https://kpibot.example.com" + PathFor(chart);

    /// <inheritdoc />
    public string PathFor(Chart chart)
    {
        registered.Add(chart);
        return $"/charts/chart{registered.Count}.png";
    }
}
