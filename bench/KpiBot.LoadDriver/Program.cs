using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using KpiBot.Hosting;

namespace KpiBot.LoadDriver;

/// <summary>
/// Drives the bot's chat API over loopback at a fixed, open-loop request rate and reports latency percentiles
/// for logging, for a trend card and for <c>GET /healthz</c> measured in the same run.
/// <para>
/// By default it starts KpiBot in this process on a free loopback port with a fresh store seeded with
/// <c>--people</c> people × <c>--years</c> years of daily numbers and won deals; <c>--url</c> targets a bot that is
/// already running instead (loopback only), and <c>--seed-only --db PATH</c> prepares a store file for that bot.
/// </para>
/// </summary>
public static class LoadDriverProgram
{
    private const string Usage = """
        usage: KpiBot.LoadDriver [options]
          --rate N          requests per second, open loop (default 200)
          --duration S      measured seconds (default 30)
          --warmup S        unmeasured seconds first (default 5)
          --people N        people to seed (default 1000)
          --years N         years of history to seed (default 2)
          --db PATH         LiteDB file to use/seed (default: a new temporary file)
          --url URL         drive an already running bot at this loopback URL (no seeding)
          --seed-only       seed --db and exit (then start the bot with Storage__LiteDbPath=PATH)
          --no-seed         use the store in --db as it is (people must already exist)
          --log-share P     share of requests that log numbers (default 0.6)
          --trend-share P   share that ask for a trend card (default 0.2); the rest are GET /healthz
          --daily           seed numbers on every working day (default: the week's totals on Fridays)
          --profile         add up the time of each store method in the self-hosted bot and print it
        """;

    /// <summary>Entry point.</summary>
    public static async Task<int> Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        DriverOptions options;
        try
        {
            options = DriverOptions.Parse(args);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message + "\n" + Usage);
            return 2;
        }

        if (options.SeedOnly)
        {
            var db = options.DatabasePath ?? throw new InvalidOperationException("--seed-only needs --db PATH");
            await using var seedHost = await SelfHost.StartAsync(db, seedPeople: options.People, seedYears: options.Years, Console.Out, options.Daily);
            await Console.Out.WriteLineAsync($"Seeded {db}. Start the bot with Storage__LiteDbPath={db} and run the driver with --url.");
            return 0;
        }

        // Client and (by default) server share this process: give the thread pool room up front so the
        // driver's own bursts don't starve the server's request threads and show up as latency.
        ThreadPool.SetMinThreads(Math.Max(64, Environment.ProcessorCount * 16), Math.Max(64, Environment.ProcessorCount * 16));
        SelfHost? host = null;
        try
        {
            Uri target;
            if (options.Url is { } url)
            {
                target = url;
            }
            else
            {
                var db = options.DatabasePath ?? Path.Combine(Path.GetTempPath(), "kpibot-load-" + Guid.NewGuid().ToString("N"), "kpibot.db");
                host = await SelfHost.StartAsync(db, options.NoSeed ? 0 : options.People, options.Years, Console.Out, options.Daily, options.Profile);
                target = host.BaseAddress;
            }

            var run = new LoadRun(target, options);
            await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Driving {target} at {options.Rate} req/s for {options.Duration.TotalSeconds:0} s (+{options.Warmup.TotalSeconds:0} s warm-up), open loop; {options.People} people."));
            var report = await run.ExecuteAsync();
            await Console.Out.WriteLineAsync(report.ToMarkdown(options, Environment.ProcessorCount));
            if (host?.Timing is { } timing)
            {
                await Console.Out.WriteLineAsync(timing.Report());
            }
            return report.HasErrors ? 1 : 0;
        }
        finally
        {
            if (host is not null)
            {
                await host.DisposeAsync();
            }
        }
    }
}

/// <summary>Parsed command line.</summary>
internal sealed record DriverOptions(
    double Rate,
    TimeSpan Duration,
    TimeSpan Warmup,
    int People,
    int Years,
    string? DatabasePath,
    Uri? Url,
    bool SeedOnly,
    bool NoSeed,
    double LogShare,
    double TrendShare,
    bool Daily = false,
    bool Profile = false)
{
    public static DriverOptions Parse(string[] args)
    {
        var o = new DriverOptions(200, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5), 1000, 2, null, null, false, false, 0.6, 0.2);
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            double Number(string name, double min, double max)
            {
                var text = Next();
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max
                    ? v
                    : throw new ArgumentException($"{name} '{text}' is not a number from {min} to {max}.");
            }

            o = args[i] switch
            {
                "--rate" => o with { Rate = Number("--rate", 1, 20_000) },
                "--duration" => o with { Duration = TimeSpan.FromSeconds(Number("--duration", 1, 3_600)) },
                "--warmup" => o with { Warmup = TimeSpan.FromSeconds(Number("--warmup", 0, 600)) },
                "--people" => o with { People = (int)Number("--people", 1, 100_000) },
                "--years" => o with { Years = (int)Number("--years", 0, 10) },
                "--db" => o with { DatabasePath = Path.GetFullPath(Next()) },
                "--url" => o with { Url = LoopbackUrl(Next()) },
                "--seed-only" => o with { SeedOnly = true },
                "--no-seed" => o with { NoSeed = true },
                "--log-share" => o with { LogShare = Number("--log-share", 0, 1) },
                "--trend-share" => o with { TrendShare = Number("--trend-share", 0, 1) },
                "--daily" => o with { Daily = true },
                "--profile" => o with { Profile = true },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'."),
            };
        }

        return o.LogShare + o.TrendShare > 1 ? throw new ArgumentException("--log-share plus --trend-share must not exceed 1.") : o;
    }

    // Load goes to this machine only: refuse anything that isn't a loopback address.
    private static Uri LoopbackUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
        {
            throw new ArgumentException($"--url '{text}' is not an http(s) URL such as http://127.0.0.1:5260.");
        }

        var loopback = uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
        return loopback ? uri : throw new ArgumentException($"--url '{text}' is not a loopback address; the driver only loads this machine (127.0.0.1, localhost, [::1]).");
    }
}

/// <summary>KpiBot started in this process on a free loopback port, with a seeded store.</summary>
internal sealed class SelfHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private SelfHost(WebApplication app, Uri baseAddress)
    {
        this.app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>The store timings with <c>--profile</c>, else null.</summary>
    public TimingKpiStore? Timing { get; private set; }

    public static async Task<SelfHost> StartAsync(string databasePath, int seedPeople, int seedYears, TextWriter log, bool daily = false, bool profile = false)
    {
        var port = FreePort();
        var baseUrl = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development", Args = [] });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:LiteDbPath"] = databasePath,
            ["Bot:PublicBaseUrl"] = baseUrl,
            ["Bot:DevChat"] = "true",
            // Request logging at Information would measure the console, not the bot.
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.WebHost.UseUrls(baseUrl);
        builder.AddKpiBot();
        TimingKpiStore? timing = null;
        if (profile)
        {
            var registered = builder.Services.Last(d => d.ServiceType == typeof(KpiBot.Storage.IKpiStore));
            builder.Services.Remove(registered);
            builder.Services.AddSingleton<KpiBot.Storage.IKpiStore>(sp => timing = new TimingKpiStore((KpiBot.Storage.IKpiStore)registered.ImplementationFactory!(sp)));
        }
        var app = builder.Build();
        app.MapKpiBot();
        if (seedPeople > 0)
        {
            var seeded = Stopwatch.StartNew();
            var summary = StoreSeeder.Seed(app.Services, LoadRun.Workspace, seedPeople, seedYears, daily, log);
            await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Store {databasePath}: {summary} ({seeded.Elapsed.TotalSeconds:0.0} s)."));
        }

        await log.WriteLineAsync(StoreSeeder.Describe(app.Services, LoadRun.Workspace));
        await app.StartAsync();
        _ = app.Services.GetRequiredService<KpiBot.Storage.IKpiStore>();
        return new SelfHost(app, new Uri(baseUrl)) { Timing = timing };
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>One open-loop run: request k is sent at start + k / rate whatever happened to the ones before.</summary>
internal sealed class LoadRun(Uri target, DriverOptions options)
{
    /// <summary>The local workspace name used for load (workspace id <c>local:load</c>).</summary>
    public const string Workspace = "load";

    public async Task<LoadReport> ExecuteAsync()
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = TimeSpan.FromMinutes(10), UseProxy = false };
        using var http = new HttpClient(handler) { BaseAddress = target, Timeout = TimeSpan.FromSeconds(30) };

        // A first request of each kind outside the measurement (JIT, connection, first chart registration).
        await Send(http, RequestKind.Log, 0, 0);
        await Send(http, RequestKind.Trend, 0, 1);
        await Send(http, RequestKind.Health, 0, 2);

        // Prime: one trend card per team of 100, one after the other, so each team's conversion baseline and its
        // people's activity are loaded once before the open loop starts (a bot that has been running for a while).
        var primed = Stopwatch.StartNew();
        for (var person = 0; person < options.People; person += 100)
        {
            await Send(http, RequestKind.Trend, person, 3 + person);
        }
        await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Primed {(options.People + 99) / 100} teams in {primed.Elapsed.TotalSeconds:0.0} s."));

        var total = (int)Math.Round((options.Warmup + options.Duration).TotalSeconds * options.Rate);
        var warmupCount = (int)Math.Round(options.Warmup.TotalSeconds * options.Rate);
        var random = new Random(20261204);
        var kinds = new RequestKind[total];
        var people = new int[total];
        for (var k = 0; k < total; k++)
        {
            var roll = random.NextDouble();
            kinds[k] = roll < options.LogShare ? RequestKind.Log : roll < options.LogShare + options.TrendShare ? RequestKind.Trend : RequestKind.Health;
            people[k] = random.Next(options.People);
        }

        var samples = new Sample[total];
        var tasks = new List<Task>(total);
        var clock = Stopwatch.StartNew();
        var interval = TimeSpan.FromSeconds(1 / options.Rate);
        for (var k = 0; k < total; k++)
        {
            var due = interval * k;
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }

            var index = k;
            var intended = due;
            tasks.Add(Task.Run(async () =>
            {
                var (ok, status) = await Send(http, kinds[index], people[index], index + 10);
                // Latency from the moment the request was DUE, so a stalled server can't hide queueing (no coordinated omission).
                samples[index] = new Sample(kinds[index], clock.Elapsed - intended, ok, status);
            }));
        }

        await Task.WhenAll(tasks);
        var achieved = total / clock.Elapsed.TotalSeconds;
        return new LoadReport(samples[warmupCount..], achieved);
    }

    private static async Task<(bool Ok, int Status)> Send(HttpClient http, RequestKind kind, int person, int sequence)
    {
        try
        {
            using var response = kind == RequestKind.Health
                ? await http.GetAsync("/healthz")
                : await http.PostAsync("/api/dev/chat", new StringContent(Body(kind, person, sequence), Encoding.UTF8, "application/json"));
            await response.Content.ReadAsByteArrayAsync();
            return (response.IsSuccessStatusCode, (int)response.StatusCode);
        }
        catch (HttpRequestException)
        {
            return (false, 0);
        }
        catch (TaskCanceledException)
        {
            return (false, -1);
        }
    }

    private static string Body(RequestKind kind, int person, int sequence)
    {
        var text = kind == RequestKind.Log ? $"log booked {1 + (sequence % 4)} held {sequence % 3}" : "how am I trending";
        return string.Create(CultureInfo.InvariantCulture,
            $"{{\"workspace\":\"{Workspace}\",\"userId\":\"{StoreSeeder.PlatformUserId(person)}\",\"userName\":\"{StoreSeeder.DisplayName(person)}\",\"text\":\"{text}\",\"messageId\":\"load-{sequence}-{Guid.NewGuid():N}\"}}");
    }
}

/// <summary>What a request did.</summary>
internal enum RequestKind
{
    Log,
    Trend,
    Health,
}

/// <summary>One measured request.</summary>
internal readonly record struct Sample(RequestKind Kind, TimeSpan Latency, bool Ok, int Status);

/// <summary>Percentiles per request kind and the ratios to <c>/healthz</c>.</summary>
internal sealed class LoadReport(Sample[] samples, double achievedRate)
{
    public bool HasErrors => samples.Any(s => !s.Ok);

    public string ToMarkdown(DriverOptions options, int cores)
    {
        var text = new StringBuilder();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"Target {options.Rate:0} req/s open loop, achieved {achievedRate:0} req/s, {options.Duration.TotalSeconds:0} s measured, {options.People} people × {options.Years} years, {cores} cores."));
        text.AppendLine();
        text.AppendLine("| request | count | errors | p50 ms | p90 ms | p99 ms | max ms |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        var stats = new Dictionary<RequestKind, (double P50, double P99)>();
        foreach (var kind in new[] { RequestKind.Log, RequestKind.Trend, RequestKind.Health })
        {
            var of = samples.Where(s => s.Kind == kind).ToList();
            var ms = of.Where(s => s.Ok).Select(s => s.Latency.TotalMilliseconds).Order().ToArray();
            var errors = of.Count(s => !s.Ok);
            var name = kind switch
            {
                RequestKind.Log => "log (POST /api/dev/chat \"log booked … held …\")",
                RequestKind.Trend => "trend card (POST /api/dev/chat \"how am I trending\")",
                _ => "GET /healthz",
            };
            var statuses = errors == 0 ? string.Empty : " (" + string.Join(", ", of.Where(s => !s.Ok).GroupBy(s => s.Status).Select(g => $"{g.Count()}× {(g.Key > 0 ? g.Key.ToString(CultureInfo.InvariantCulture) : g.Key == 0 ? "connection" : "timeout")}")) + ")";
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {of.Count} | {errors}{statuses} | {P(ms, 0.50):0.00} | {P(ms, 0.90):0.00} | {P(ms, 0.99):0.00} | {(ms.Length == 0 ? double.NaN : ms[^1]):0.00} |"));
            stats[kind] = (P(ms, 0.50), P(ms, 0.99));
        }

        var health = stats[RequestKind.Health];
        text.AppendLine();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"Ratio to /healthz in the same run: log p50 ×{stats[RequestKind.Log].P50 / health.P50:0.0}, p99 ×{stats[RequestKind.Log].P99 / health.P99:0.0}; trend p50 ×{stats[RequestKind.Trend].P50 / health.P50:0.0}, p99 ×{stats[RequestKind.Trend].P99 / health.P99:0.0}."));
        return text.ToString();
    }

    private static double P(double[] sorted, double q)
    {
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        // Nearest-rank percentile: the smallest value with at least q of the samples at or below it.
        var rank = (int)Math.Ceiling(q * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
