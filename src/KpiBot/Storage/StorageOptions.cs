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
}
