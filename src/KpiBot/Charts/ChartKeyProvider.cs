using System.Security.Cryptography;
using KpiBot.Storage;
using Microsoft.Extensions.Options;

namespace KpiBot.Charts;

/// <summary>
/// Owns the per-installation secret that makes chart ids unguessable. It is 32 random bytes in
/// <c>&lt;data&gt;/chart-key.bin</c>, created on first use with owner-only permissions; keeping it next to the
/// database means ids (and so the links in posted cards) stay valid across restarts and upgrades.
/// </summary>
public sealed class ChartKeyProvider(IOptions<ChartOptions> chartOptions, IOptions<StorageOptions> storageOptions)
{
    /// <summary>File name of the key inside the data folder.</summary>
    public const string KeyFileName = "chart-key.bin";

    private const int KeyLength = 32;
    private static readonly Lock CreateLock = new();

    /// <summary>The data folder (absolute).</summary>
    public string DataFolder { get; } = ResolveFolder(chartOptions.Value.DataFolder, storageOptions.Value.LiteDbPath);

    /// <summary>Reads the key, creating it the first time.</summary>
    public byte[] GetOrCreateKey()
    {
        var path = Path.Combine(DataFolder, KeyFileName);
        lock (CreateLock)
        {
            if (File.Exists(path))
            {
                var existing = File.ReadAllBytes(path);
                if (existing.Length == KeyLength)
                {
                    return existing;
                }

                throw new InvalidOperationException(
                    $"The chart key file '{path}' is {existing.Length} bytes, expected {KeyLength}. Delete it to create a new key (old chart links will stop working).");
            }

            Directory.CreateDirectory(DataFolder);
            var key = RandomNumberGenerator.GetBytes(KeyLength);
            var temp = path + ".tmp";
            File.WriteAllBytes(temp, key);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            File.Move(temp, path, overwrite: false);
            return key;
        }
    }

    private static string ResolveFolder(string? configured, string liteDbPath)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured);
        }

        var database = Path.GetFullPath(string.IsNullOrWhiteSpace(liteDbPath) ? "data/kpibot.db" : liteDbPath);
        return Path.GetDirectoryName(database) ?? Path.GetFullPath("data");
    }
}
