using System.ComponentModel.DataAnnotations;

namespace KpiBot.Storage;

/// <summary>The <c>Storage</c> configuration section.</summary>
public sealed class StorageOptions
{
    /// <summary>The section name in appsettings.json.</summary>
    public const string Section = "Storage";

    /// <summary>Which store to use. <c>LiteDb</c> (embedded, the default) is the one shipped.</summary>
    [Required]
    public string Provider { get; set; } = "LiteDb";

    /// <summary>The providers KpiBot ships.</summary>
    public static readonly IReadOnlyList<string> Providers = ["LiteDb"];

    /// <summary>The <see cref="LiteDbPath"/> value for a database that lives only in memory (tests, demos).</summary>
    public const string InMemoryPath = ":memory:";

    /// <summary>Path of the LiteDB file, relative to the working directory unless rooted; <c>:memory:</c> keeps it in memory.</summary>
    [Required]
    public string LiteDbPath { get; set; } = "data/kpibot.db";

    /// <summary>
    /// Budget of the in-memory cache of people's recent activity (<see cref="CachingKpiStore"/>), in megabytes;
    /// 128 holds the KPI windows of about 1,000 people with two years of history. 0 turns the cache off.
    /// </summary>
    [Range(0, 65_536)]
    public int ActivityCacheMegabytes { get; set; } = (int)(CachingKpiStore.DefaultBudgetBytes / (1024 * 1024));
}
