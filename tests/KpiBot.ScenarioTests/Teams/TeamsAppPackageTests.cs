using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json.Nodes;
using Json.Schema;

namespace KpiBot.ScenarioTests.Teams;

/// <summary>The Teams app package: manifest valid against the v1.19 schema, icons as Teams requires, the build script.</summary>
public sealed class TeamsAppPackageTests
{
    private const string SampleAppId = "eac5e5c6-ab14-4f50-80cb-49213fe51b1a";

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(TeamsFixtures.Folder());
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "KpiBot.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("KpiBot.sln not found above the test folder");
    }

    private static string ManifestFolder => Path.Combine(RepositoryRoot(), "manifest", "teams");

    private static string Filled(string manifest) => manifest
        .Replace("${{TEAMS_APP_ID}}", SampleAppId, StringComparison.Ordinal)
        .Replace("${{KPIBOT_PUBLIC_URL}}", "https://kpibot.example.com", StringComparison.Ordinal)
        .Replace("${{KPIBOT_PUBLIC_HOST}}", "kpibot.example.com", StringComparison.Ordinal);

    private static void AssertValidManifest(JsonNode manifest)
    {
        // The official schema is draft-04; its keywords here are the same in draft-07, which the validator speaks.
        var schemaText = File.ReadAllText(Path.Combine(TeamsFixtures.Folder(), "Schemas", "MicrosoftTeams.schema.v1.19.json"))
            .Replace("http://json-schema.org/draft-04/schema#", "http://json-schema.org/draft-07/schema#", StringComparison.Ordinal);
        var result = JsonSchema.FromText(schemaText).Evaluate(manifest, new EvaluationOptions { OutputFormat = OutputFormat.List });
        var errors = result.Details.Where(d => d.HasErrors).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"));
        Assert.True(result.IsValid, string.Join("; ", errors));
    }

    [Fact]
    public void Manifest_with_its_placeholders_filled_is_valid_against_the_v1_19_schema()
    {
        var manifest = JsonNode.Parse(Filled(File.ReadAllText(Path.Combine(ManifestFolder, "manifest.json"))))!;
        AssertValidManifest(manifest);
    }

    [Fact]
    public void Manifest_declares_the_bot_in_all_three_scopes_with_the_four_commands()
    {
        var raw = File.ReadAllText(Path.Combine(ManifestFolder, "manifest.json"));
        var bot = JsonNode.Parse(raw)!["bots"]![0]!;
        Assert.Equal("${{TEAMS_APP_ID}}", bot["botId"]!.GetValue<string>());
        Assert.Equal(["personal", "team", "groupChat"], bot["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        foreach (var list in bot["commandLists"]!.AsArray())
        {
            Assert.Equal(["help", "log", "my stats", "team"], list!["commands"]!.AsArray().Select(c => c!["title"]!.GetValue<string>()));
        }

        var scopes = bot["commandLists"]!.AsArray().SelectMany(l => l!["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(["groupChat", "personal", "team"], scopes.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_manifest_missing_its_bot_id_is_rejected_by_the_schema_check()
    {
        var manifest = JsonNode.Parse(Filled(File.ReadAllText(Path.Combine(ManifestFolder, "manifest.json"))))!;
        manifest["bots"]![0]!["botId"] = "${{TEAMS_APP_ID}}";
        Assert.ThrowsAny<Exception>(() => AssertValidManifest(manifest));
    }

    [Fact]
    public void Color_icon_is_192_pixels_square_and_opaque_in_the_middle()
    {
        var image = Png.Read(Path.Combine(ManifestFolder, "color.png"));
        Assert.Equal((192, 192), (image.Width, image.Height));
        Assert.Equal(255, image.Pixel(96, 96).A);
    }

    [Fact]
    public void Outline_icon_is_32_pixels_square_white_on_transparent()
    {
        var image = Png.Read(Path.Combine(ManifestFolder, "outline.png"));
        Assert.Equal((32, 32), (image.Width, image.Height));
        var pixels = Enumerable.Range(0, 32).SelectMany(y => Enumerable.Range(0, 32).Select(x => image.Pixel(x, y))).ToList();
        Assert.All(pixels, p => Assert.True(p.A == 0 || (p.R, p.G, p.B) == (255, 255, 255), $"pixel {p} is neither transparent nor white"));
        Assert.Contains(pixels, p => p.A == 0);
        Assert.Contains(pixels, p => p.A == 255);
    }

    [Fact]
    public async Task Build_script_makes_an_uploadable_zip_with_the_app_id_filled_in()
    {
        var root = RepositoryRoot();
        var output = Path.Combine(root, "manifest", "teams", "kpibot-teams.zip");
        var start = new ProcessStartInfo("bash", [Path.Combine(root, "scripts", "build-teams-package.sh")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["TEAMS_APP_ID"] = SampleAppId, ["KPIBOT_PUBLIC_URL"] = "https://kpibot.example.com" },
        };
        using var process = Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, stderr);

        using var zip = ZipFile.OpenRead(output);
        Assert.Equal(["color.png", "manifest.json", "outline.png"], zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
        using var reader = new StreamReader(zip.GetEntry("manifest.json")!.Open());
        var manifest = JsonNode.Parse(await reader.ReadToEndAsync())!;
        Assert.Equal(SampleAppId, manifest["bots"]![0]!["botId"]!.GetValue<string>());
        Assert.Equal(["kpibot.example.com"], manifest["validDomains"]!.AsArray().Select(d => d!.GetValue<string>()));
        AssertValidManifest(manifest);
    }

    [Fact]
    public async Task Build_script_refuses_a_missing_app_id_and_says_what_to_set()
    {
        var root = RepositoryRoot();
        var start = new ProcessStartInfo("bash", [Path.Combine(root, "scripts", "build-teams-package.sh")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["TEAMS_APP_ID"] = "not-a-guid", ["KPIBOT_PUBLIC_URL"] = "https://kpibot.example.com" },
        };
        using var process = Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains("TEAMS_APP_ID", stderr, StringComparison.Ordinal);
    }

    /// <summary>A minimal PNG reader (8-bit RGBA or RGB, non-interlaced): enough to check the icons.</summary>
    private sealed record Png(int Width, int Height, int Channels, byte[] Pixels)
    {
        public (byte R, byte G, byte B, byte A) Pixel(int x, int y)
        {
            var i = ((y * Width) + x) * Channels;
            return (Pixels[i], Pixels[i + 1], Pixels[i + 2], Channels == 4 ? Pixels[i + 3] : (byte)255);
        }

        public static Png Read(string path)
        {
            var bytes = File.ReadAllBytes(path);
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
            int width = 0, height = 0, channels = 0;
            using var idat = new MemoryStream();
            for (var at = 8; at < bytes.Length;)
            {
                var length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(at));
                var type = System.Text.Encoding.ASCII.GetString(bytes, at + 4, 4);
                var data = bytes.AsSpan(at + 8, length);
                if (type == "IHDR")
                {
                    width = BinaryPrimitives.ReadInt32BigEndian(data);
                    height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                    Assert.Equal(8, data[8]); // bit depth
                    channels = data[9] switch { 6 => 4, 2 => 3, _ => throw new NotSupportedException($"colour type {data[9]}") };
                    Assert.Equal(0, data[12]); // not interlaced
                }
                else if (type == "IDAT")
                {
                    idat.Write(data);
                }

                at += 12 + length;
            }

            idat.Position = 0;
            using var inflater = new ZLibStream(idat, CompressionMode.Decompress);
            using var raw = new MemoryStream();
            inflater.CopyTo(raw);
            return new Png(width, height, channels, Unfilter(raw.ToArray(), width, height, channels));
        }

        private static byte[] Unfilter(byte[] data, int width, int height, int bpp)
        {
            var stride = width * bpp;
            var pixels = new byte[stride * height];
            for (var y = 0; y < height; y++)
            {
                var filter = data[y * (stride + 1)];
                for (var x = 0; x < stride; x++)
                {
                    int raw = data[(y * (stride + 1)) + 1 + x];
                    int left = x >= bpp ? pixels[(y * stride) + x - bpp] : 0;
                    int up = y > 0 ? pixels[((y - 1) * stride) + x] : 0;
                    int upLeft = x >= bpp && y > 0 ? pixels[((y - 1) * stride) + x - bpp] : 0;
                    pixels[(y * stride) + x] = (byte)(filter switch
                    {
                        0 => raw,
                        1 => raw + left,
                        2 => raw + up,
                        3 => raw + ((left + up) / 2),
                        4 => raw + Paeth(left, up, upLeft),
                        _ => throw new NotSupportedException($"PNG filter {filter}"),
                    });
                }
            }

            return pixels;
        }

        private static int Paeth(int a, int b, int c)
        {
            int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
            return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
        }
    }
}
