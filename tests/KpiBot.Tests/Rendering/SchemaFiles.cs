using Json.Schema;

namespace KpiBot.Tests.Rendering;

/// <summary>Finds the shared folder (next to the repository) and loads the official schemas once.</summary>
public static class SchemaFiles
{
    private static readonly Lazy<JsonSchema> AdaptiveCard15 = new(() => JsonSchema.FromFile(PathOf("schemas", "adaptive-cards", "adaptive-card.1.5.0.json")));

    /// <summary>The official Adaptive Cards 1.5 schema.</summary>
    public static JsonSchema AdaptiveCard => AdaptiveCard15.Value;

    /// <summary>A file under <c>../shared</c> of the repository root.</summary>
    public static string PathOf(params string[] parts)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KpiBot.sln")))
            {
                var path = Path.Combine([dir.FullName, "..", "shared", .. parts]);
                if (File.Exists(path))
                {
                    return Path.GetFullPath(path);
                }

                throw new FileNotFoundException($"Expected the shared file next to the repository at {path}.");
            }
        }

        throw new DirectoryNotFoundException("KpiBot.sln not found above " + AppContext.BaseDirectory);
    }
}
