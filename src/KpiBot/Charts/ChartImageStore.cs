using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using KpiBot.Hosting;
using KpiBot.Replies;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace KpiBot.Charts;

/// <summary>
/// Registers charts under an unguessable id and serves their PNGs, each drawn once per data version.
/// The id is HMAC-SHA256 of the chart's canonical JSON keyed with a per-installation secret, so the same
/// data always maps to the same (cacheable, <c>immutable</c>) URL, while nobody without the key can derive
/// or enumerate an id — a chart of someone's numbers is only reachable through a card that linked it.
/// PNGs live in a bounded memory cache and, optionally, under <c>&lt;data&gt;/charts/</c> so links in old
/// messages keep working after a restart.
/// </summary>
public sealed class ChartImageStore : IChartImages, IDisposable
{
    /// <summary>Length of an id: 20 HMAC bytes in unpadded base64url.</summary>
    public const int IdLength = 27;

    // Bumped when the drawing changes, so cached PNGs of an older look get new ids.
    private const string CanonicalPrefix = "kpibot-chart-v1";

    private readonly byte[] key;
    private readonly string publicBaseUrl;
    private readonly string? diskFolder;
    private readonly MemoryCache specs;
    private readonly MemoryCache pngs;
    private readonly ConcurrentDictionary<string, Lazy<byte[]>> rendering = new(StringComparer.Ordinal);
    private readonly ILogger<ChartImageStore> logger;

    /// <summary>Creates the store from options.</summary>
    public ChartImageStore(IOptions<ChartOptions> chartOptions, IOptions<BotOptions> botOptions, ChartKeyProvider keys, ILogger<ChartImageStore> logger)
    {
        ArgumentNullException.ThrowIfNull(chartOptions);
        ArgumentNullException.ThrowIfNull(botOptions);
        ArgumentNullException.ThrowIfNull(keys);
        var options = chartOptions.Value;
        this.logger = logger ?? throw new ArgumentNullException(nameof(logger));
        key = keys.GetOrCreateKey();
        publicBaseUrl = botOptions.Value.PublicBaseUrl.TrimEnd('/');
        if (options.DiskCache)
        {
            diskFolder = Path.Combine(keys.DataFolder, "charts");
            Directory.CreateDirectory(diskFolder);
        }

        specs = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.MaxRegisteredCharts });
        pngs = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.MemoryCacheBytes });
        Width = options.Width;
        Height = options.Height;
    }

    /// <summary>Image width in pixels.</summary>
    public int Width { get; }

    /// <summary>Image height in pixels.</summary>
    public int Height { get; }

    /// <summary>How many PNGs were drawn (each chart id once while it stays cached).</summary>
    public int RenderCount => renderCount;

    private int renderCount;

    /// <inheritdoc />
    public string UrlFor(Chart chart) => publicBaseUrl + PathFor(chart);

    /// <inheritdoc />
    public string PathFor(Chart chart) => "/charts/" + Register(chart) + ".png";

    /// <summary>Registers <paramref name="chart"/> and returns its id (the same id for the same data).</summary>
    public string Register(Chart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var canonical = Canonical(chart);
        var id = IdOf(canonical);
        if (specs.TryGetValue(id, out _))
        {
            return id;
        }

        specs.Set(id, chart, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromDays(7) });
        if (diskFolder is not null)
        {
            var specPath = Path.Combine(diskFolder, id + ".json");
            if (!File.Exists(specPath))
            {
                WriteAtomically(specPath, canonical);
            }
        }

        return id;
    }

    /// <summary>The PNG of a registered chart, drawn on first request; null for an id that isn't known.</summary>
    public byte[]? GetPng(string id)
    {
        if (!IsWellFormedId(id))
        {
            return null;
        }

        if (pngs.TryGetValue(id, out byte[]? cached) && cached is not null)
        {
            return cached;
        }

        var pngPath = diskFolder is null ? null : Path.Combine(diskFolder, id + ".png");
        if (pngPath is not null && File.Exists(pngPath))
        {
            var fromDisk = File.ReadAllBytes(pngPath);
            Remember(id, fromDisk);
            return fromDisk;
        }

        var chart = FindSpec(id);
        if (chart is null)
        {
            return null;
        }

        // Concurrent first requests for one chart share a single render.
        var lazy = rendering.GetOrAdd(id, _ => new Lazy<byte[]>(() => Draw(id, chart, pngPath), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return lazy.Value;
        }
        finally
        {
            rendering.TryRemove(new KeyValuePair<string, Lazy<byte[]>>(id, lazy));
        }
    }

    /// <summary>True when <paramref name="id"/> has the shape of an id this store issues.</summary>
    public static bool IsWellFormedId(string? id) =>
        id is { Length: IdLength } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <inheritdoc />
    public void Dispose()
    {
        specs.Dispose();
        pngs.Dispose();
    }

    private byte[] Draw(string id, Chart chart, string? pngPath)
    {
        var png = ChartPngRenderer.Render(chart, Width, Height);
        Interlocked.Increment(ref renderCount);
        Remember(id, png);
        if (pngPath is not null)
        {
            try
            {
                WriteAtomically(pngPath, png);
            }
            catch (IOException ex)
            {
                // The memory copy still serves it; a full disk must not break the image.
                logger.LogWarning(ex, "Could not write chart {ChartId} to the disk cache", id);
            }
        }

        return png;
    }

    private void Remember(string id, byte[] png) =>
        pngs.Set(id, png, new MemoryCacheEntryOptions { Size = png.Length, SlidingExpiration = TimeSpan.FromHours(12) });

    private Chart? FindSpec(string id)
    {
        if (specs.TryGetValue(id, out Chart? chart) && chart is not null)
        {
            return chart;
        }

        if (diskFolder is null)
        {
            return null;
        }

        var specPath = Path.Combine(diskFolder, id + ".json");
        if (!File.Exists(specPath))
        {
            return null;
        }

        var canonical = File.ReadAllBytes(specPath);
        // Trust a spec file only if it still hashes to its name under this installation's key.
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(IdOf(canonical)), Encoding.ASCII.GetBytes(id)))
        {
            logger.LogWarning("Chart spec {ChartId} on disk does not match its id; ignoring it", id);
            return null;
        }

        // Layout: "<prefix> <width>x<height>\n<json>".
        var json = canonical.AsSpan(canonical.AsSpan().IndexOf((byte)'\n') + 1);
        chart = JsonSerializer.Deserialize(json, ChartJsonContext.Default.Chart);
        if (chart is not null)
        {
            specs.Set(id, chart, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromDays(7) });
        }

        return chart;
    }

    private string IdOf(byte[] canonical)
    {
        var mac = HMACSHA256.HashData(key, canonical);
        return Convert.ToBase64String(mac, 0, 20).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private byte[] Canonical(Chart chart)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(chart, ChartJsonContext.Default.Chart);
        // The picture depends on the size too, so it is part of what the id covers.
        var prefix = Encoding.UTF8.GetBytes(FormattableString.Invariant($"{CanonicalPrefix} {Width}x{Height}\n"));
        return [.. prefix, .. json];
    }

    private static void WriteAtomically(string path, byte[] bytes)
    {
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, path, overwrite: true);
    }
}

/// <summary>Canonical JSON of a chart (property order is declaration order, numbers round-trip).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = false)]
[JsonSerializable(typeof(Chart))]
internal sealed partial class ChartJsonContext : JsonSerializerContext;
