using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using KpiBot.Channels.Slack;
using Microsoft.AspNetCore.Builder;

namespace KpiBot.Benchmarks.Slack;

/// <summary>
/// KpiBot's acknowledgement of a signed <c>/kpi log booked 1</c> against Bolt for JavaScript acknowledging a bare
/// <c>/kpi</c> in the same run (the design's Slack target: no slower at the median). Both listen on loopback; an
/// open-loop driver sends one fresh signed command to each at every tick (alternating which goes first), and each
/// latency counts from the moment the request was due, so a stalled server cannot hide its queue. KpiBot runs in
/// Production with its real bot, durable inbox and LiteDB file; Slack's Web API is an in-process fake.
/// Run: <c>npm ci --prefix bench/slack-bolt-baseline</c> once, then
/// <c>dotnet run -c Release --project bench/KpiBot.Benchmarks -- slack-vs-bolt [--rate 100] [--duration 30]</c>.
/// </summary>
public static class SlackVersusBolt
{
    private const string Secret = SlackBenchHost.Secret;

    /// <summary>Runs the comparison and prints one row per server.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var rate = Option(args, "--rate", 100);
        var duration = TimeSpan.FromSeconds(Option(args, "--duration", 30));
        var warmup = TimeSpan.FromSeconds(Option(args, "--warmup", 5));
        var boltFolder = Path.Combine(RepositoryRoot(), "bench", "slack-bolt-baseline");
        if (!Directory.Exists(Path.Combine(boltFolder, "node_modules", "@slack", "bolt")))
        {
            await output.WriteLineAsync($"Bolt is not installed: run `npm ci --prefix {boltFolder}` first.");
            return 2;
        }

        var dbPath = Path.Combine(Path.GetTempPath(), $"kpibot-slack-vs-bolt-{Guid.NewGuid():N}.db");
        await using var kpibot = await SlackBenchHost.StartAsync(dbPath);
        var kpibotUrl = new Uri(SlackBenchHost.Address(kpibot), "/api/slack/commands");
        var boltPort = FreePort();
        using var bolt = StartBolt(boltFolder, boltPort);
        var boltUrl = new Uri($"http://127.0.0.1:{boltPort}/slack/events");
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = TimeSpan.FromMinutes(10) }) { Timeout = TimeSpan.FromSeconds(30) };
        await WaitForAsync(http, boltUrl, bolt);

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{rate} signed /kpi commands per second to each server for {duration.TotalSeconds:F0} s after a {warmup.TotalSeconds:F0} s warm-up."));
        await DriveAsync(http, kpibotUrl, boltUrl, rate, warmup, null);
        var kpibotLatencies = new List<double>();
        var boltLatencies = new List<double>();
        var errors = await DriveAsync(http, kpibotUrl, boltUrl, rate, duration, (kpibotLatencies, boltLatencies));

        await output.WriteLineAsync("| server | requests | errors | p50 ms | p90 ms | p99 ms | max ms |");
        await output.WriteLineAsync("|---|---:|---:|---:|---:|---:|---:|");
        await output.WriteLineAsync(Row("KpiBot `/kpi log booked 1` (verify, durable inbox commit, 200)", kpibotLatencies, errors.KpiBot));
        await output.WriteLineAsync(Row("Bolt for JavaScript 5.1.0 bare `/kpi` ack", boltLatencies, errors.Bolt));
        kpibotLatencies.Sort();
        boltLatencies.Sort();
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Median ratio KpiBot / Bolt: {P(kpibotLatencies, 0.5) / P(boltLatencies, 0.5):F2}"));
        await kpibot.StopAsync();
        foreach (var file in new[] { dbPath, KpiBot.Storage.LiteDb.LiteDbContext.LogPathOf(dbPath) })
        {
            File.Delete(file);
        }
        return 0;
    }

    private static async Task<(int KpiBot, int Bolt)> DriveAsync(HttpClient http, Uri kpibot, Uri bolt, int rate, TimeSpan length, (List<double> KpiBot, List<double> Bolt)? record)
    {
        var started = Stopwatch.GetTimestamp();
        var total = (int)(rate * length.TotalSeconds);
        var tasks = new List<Task>(total * 2);
        var kpibotErrors = 0;
        var boltErrors = 0;
        var gate = new Lock();
        for (var k = 0; k < total; k++)
        {
            var due = started + (long)(k * (double)Stopwatch.Frequency / rate);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }
            var sequence = Interlocked.Increment(ref _sequence);
            var kpibotFirst = k % 2 == 0;
            foreach (var toKpiBot in kpibotFirst ? new[] { true, false } : [false, true])
            {
                var url = toKpiBot ? kpibot : bolt;
                tasks.Add(Task.Run(async () =>
                {
                    var ok = await SendAsync(http, url, sequence);
                    var latency = Stopwatch.GetElapsedTime(due).TotalMilliseconds;
                    lock (gate)
                    {
                        if (!ok)
                        {
                            if (toKpiBot) { kpibotErrors++; } else { boltErrors++; }
                        }
                        else if (record is { } r)
                        {
                            (toKpiBot ? r.KpiBot : r.Bolt).Add(latency);
                        }
                    }
                }));
            }
        }
        await Task.WhenAll(tasks);
        return (kpibotErrors, boltErrors);
    }

    private static int _sequence;

    private static async Task<bool> SendAsync(HttpClient http, Uri url, int sequence)
    {
        // A fresh trigger id and user per request, as Slack sends them: a repeated one would be a cheaper duplicate.
        var body = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"token=x&team_id=T1DC2JH3J&team_domain=bench&channel_id=D0BENCH&channel_name=directmessage&user_id=UB{sequence % 500}&user_name=rep{sequence % 500}&command=%2Fkpi&text=log+booked+1&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F1%2Fbench&trigger_id=bench.{sequence}"));
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        request.Headers.Add("X-Slack-Signature", SlackSignatureVerifier.Sign(Secret, timestamp, body));
        try
        {
            using var response = await http.SendAsync(request);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }

    private static Process StartBolt(string folder, int port)
    {
        var start = new ProcessStartInfo("node", "app.js") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["SLACK_SIGNING_SECRET"] = Secret;
        start.Environment["PORT"] = port.ToString(CultureInfo.InvariantCulture);
        return Process.Start(start) ?? throw new InvalidOperationException("Could not start node for the Bolt baseline.");
    }

    private static async Task WaitForAsync(HttpClient http, Uri bolt, Process process)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException("The Bolt baseline exited: " + await process.StandardError.ReadToEndAsync());
            }
            if (await SendAsync(http, bolt, -1))
            {
                return;
            }
            await Task.Delay(100);
        }
        throw new InvalidOperationException("The Bolt baseline did not answer within 10 s.");
    }

    private static string Row(string name, List<double> latencies, int errors)
    {
        latencies.Sort();
        return string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {latencies.Count + errors} | {errors} | {P(latencies, 0.5):F2} | {P(latencies, 0.9):F2} | {P(latencies, 0.99):F2} | {(latencies.Count == 0 ? double.NaN : latencies[^1]):F2} |");
    }

    private static double P(List<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];

    private static int Option(IReadOnlyList<string> args, string name, int fallback)
    {
        for (var i = 0; i < args.Count - 1; i++)
        {
            if (args[i] == name)
            {
                return int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            }
        }
        return fallback;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "KpiBot.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Run the benchmarks from inside the KpiBot repository.");
    }
}
