using System.ComponentModel.DataAnnotations;

namespace KpiBot.Charts;

/// <summary>The optional <c>Charts</c> configuration section (every value has a sensible default).</summary>
public sealed class ChartOptions
{
    /// <summary>The section name in appsettings.json.</summary>
    public const string Section = "Charts";

    /// <summary>
    /// Folder for the chart key and the disk cache; empty means the folder of <c>Storage:LiteDbPath</c>
    /// (the data folder), so a backup of the data folder keeps chart links working.
    /// </summary>
    public string? DataFolder { get; set; }

    /// <summary>Also keep chart specs and PNGs on disk, so links in old messages survive a restart.</summary>
    public bool DiskCache { get; set; } = true;

    /// <summary>Upper bound of the in-memory PNG cache, in bytes.</summary>
    [Range(1_000_000, 2_000_000_000)]
    public long MemoryCacheBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>Most chart specs kept in memory (older ones are reloaded from disk when asked for).</summary>
    [Range(10, 10_000_000)]
    public long MaxRegisteredCharts { get; set; } = 20_000;

    /// <summary>PNG width in pixels.</summary>
    [Range(200, 4000)]
    public int Width { get; set; } = ChartPngRenderer.DefaultWidth;

    /// <summary>PNG height in pixels.</summary>
    [Range(100, 4000)]
    public int Height { get; set; } = ChartPngRenderer.DefaultHeight;

    /// <summary>How long browsers and platform proxies may cache an image (it never changes under its id).</summary>
    [Range(60, 31_536_000)]
    public int MaxAgeSeconds { get; set; } = 31_536_000;
}
