using KpiBot.Charts;
using KpiBot.Hosting;
using KpiBot.Replies;
using KpiBot.Storage;
using KpiBot.Tests.Rendering;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KpiBot.Tests.Charts;

public sealed class ChartImageStoreTests : IDisposable
{
    private static readonly Chart Trend = SampleReplies.Trend.Blocks.OfType<Chart>().Single();
    private readonly string folder = Path.Combine(Path.GetTempPath(), "kpibot-charts-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void The_same_chart_data_gets_the_same_unguessable_url()
    {
        using var store = CreateStore();

        var first = store.UrlFor(Trend);
        var again = store.UrlFor(Trend with { Series = [.. Trend.Series] });

        Assert.Equal(first, again);
        Assert.Matches(@"^https://bot\.example\.com/charts/[A-Za-z0-9_-]{27}\.png$", first);
    }

    [Fact]
    public void Different_data_or_a_different_installation_key_gives_a_different_id()
    {
        using var store = CreateStore();
        using var otherInstallation = CreateStore(Path.Combine(folder, "other"));

        var id = store.Register(Trend);
        var changed = store.Register(Trend with { Title = "Revenue won per week (SEK)" });

        Assert.NotEqual(id, changed);
        Assert.NotEqual(id, otherInstallation.Register(Trend));
    }

    [Fact]
    public void The_png_is_drawn_once_and_then_served_from_cache()
    {
        using var store = CreateStore();
        var id = store.Register(Trend);

        var first = store.GetPng(id);
        var second = store.GetPng(id);

        Assert.NotNull(first);
        Assert.Same(first, second);
        Assert.Equal(1, store.RenderCount);
        AssertPng(first, 800, 400);
    }

    [Fact]
    public void Concurrent_first_requests_share_one_render()
    {
        using var store = CreateStore(diskCache: false);
        var id = store.Register(Trend);

        var results = Enumerable.Range(0, 8).AsParallel().Select(_ => store.GetPng(id)).ToList();

        Assert.All(results, r => Assert.NotNull(r));
        Assert.Equal(1, store.RenderCount);
    }

    [Fact]
    public void After_a_restart_the_key_and_disk_cache_keep_old_links_working()
    {
        string id;
        using (var before = CreateStore())
        {
            id = before.Register(Trend);
        }

        using var after = CreateStore();

        Assert.Equal(id, after.Register(Trend));
        using var fresh = CreateStore();
        var png = fresh.GetPng(id);
        Assert.NotNull(png);
        Assert.True(File.Exists(Path.Combine(folder, "chart-key.bin")));
        Assert.Equal(32, new FileInfo(Path.Combine(folder, "chart-key.bin")).Length);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(folder, "chart-key.bin")));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("../../etc/passwd")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAA/.")]
    public void Unknown_or_malformed_ids_give_nothing(string id)
    {
        using var store = CreateStore();
        store.Register(Trend);

        Assert.Null(store.GetPng(id));
    }

    [Fact]
    public void A_tampered_spec_on_disk_is_not_served()
    {
        string id;
        using (var before = CreateStore())
        {
            id = before.Register(Trend);
        }

        var spec = Path.Combine(folder, "charts", id + ".json");
        File.WriteAllText(spec, File.ReadAllText(spec).Replace("Revenue", "Hacked", StringComparison.Ordinal));
        using var after = CreateStore();

        Assert.Null(after.GetPng(id));
    }

    [Theory]
    [MemberData(nameof(SampleReplies.Names), MemberType = typeof(SampleReplies))]
    public void Every_sample_chart_renders_to_a_png(string name)
    {
        foreach (var chart in SampleReplies.All[name].Blocks.OfType<Chart>())
        {
            var png = ChartPngRenderer.Render(chart);

            AssertPng(png, 800, 400);
            Assert.True(png.Length > 5_000, $"{chart.Title}: {png.Length} bytes is too small to hold axes, labels and data");
        }
    }

    [Fact]
    public void Different_data_draws_a_different_picture()
    {
        var one = ChartPngRenderer.Render(Trend);
        var other = ChartPngRenderer.Render(Trend with { Series = [new ChartSeries("Revenue won", [1, 2, 3, 4, 5, 6, 7, 8])] });

        Assert.NotEqual(one, other);
    }

    public void Dispose()
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void AssertPng(byte[]? png, int width, int height)
    {
        Assert.NotNull(png);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        // IHDR: width and height are big-endian at bytes 16..23.
        Assert.Equal(width, (png[16] << 24) | (png[17] << 16) | (png[18] << 8) | png[19]);
        Assert.Equal(height, (png[20] << 24) | (png[21] << 16) | (png[22] << 8) | png[23]);
    }

    private ChartImageStore CreateStore(string? dataFolder = null, bool diskCache = true)
    {
        var chartOptions = Options.Create(new ChartOptions { DataFolder = dataFolder ?? folder, DiskCache = diskCache });
        var keys = new ChartKeyProvider(chartOptions, Options.Create(new StorageOptions()));
        return new ChartImageStore(chartOptions, Options.Create(new BotOptions { PublicBaseUrl = "https://bot.example.com/" }), keys, NullLogger<ChartImageStore>.Instance);
    }
}
