using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using BenchmarkDotNet.Attributes;
using KpiBot.Channels.Slack;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace KpiBot.Benchmarks.Slack;

/// <summary>
/// The Slack inbound path: the signature check alone, and a signed <c>/kpi log booked 5 held 3</c> over
/// loopback HTTP until Slack would have its acknowledgement (KpiBot on Kestrel with the real bot and LiteDB
/// store; Slack's Web API is an in-process fake). Run:
/// <c>dotnet run -c Release --project bench/KpiBot.Benchmarks -- --filter '*SlackBenchmarks*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class SlackBenchmarks
{
    private const string Secret = SlackBenchHost.Secret;
    private const int Invocations = 256;

    private readonly byte[] _body = Encoding.UTF8.GetBytes(
        "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fkpi&text=log+booked+5+held+3&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c");

    private string _timestamp = "";
    private string _signature = "";
    private WebApplication? _app;
    private HttpClient? _client;
    private string _dbPath = "";
    private int _sequence;

    /// <summary>Starts KpiBot on a loopback port with the Slack channel on.</summary>
    [GlobalSetup]
    public async Task SetupAsync()
    {
        _timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        _signature = SlackSignatureVerifier.Sign(Secret, _timestamp, _body);
        _dbPath = Path.Combine(Path.GetTempPath(), $"kpibot-bench-slack-{Guid.NewGuid():N}.db");

        _app = await SlackBenchHost.StartAsync(_dbPath);
        var address = SlackBenchHost.Address(_app);
        _client = new HttpClient { BaseAddress = address };
    }

    /// <summary>Lets the background work of an iteration finish (inbox and queue) before the next one.</summary>
    [IterationCleanup(Target = nameof(SignedKpiLogAcknowledged))]
    public void DrainQueue()
    {
        _app!.Services.GetRequiredService<KpiBot.Channels.Inbox.DurableInbox>().WhenIdleAsync(CancellationToken.None).GetAwaiter().GetResult();
        _app.Services.GetRequiredService<SlackWorkQueue>().WhenIdleAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>Stops KpiBot and removes its database.</summary>
    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _client?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        File.Delete(_dbPath);
    }

    /// <summary>HMAC-SHA256 over a typical slash command body plus the constant-time compare.</summary>
    [Benchmark]
    public SignatureCheck VerifySignature() =>
        SlackSignatureVerifier.Verify(Secret, _timestamp, _signature, _body, DateTimeOffset.FromUnixTimeSeconds(long.Parse(_timestamp, CultureInfo.InvariantCulture)));

    /// <summary>A signed /kpi log over loopback until the 200 "Working on it…" arrives (the card follows in the background).</summary>
    [Benchmark(OperationsPerInvoke = 1)]
    [InvocationCount(Invocations, 1)]
    public async Task<HttpStatusCode> SignedKpiLogAcknowledged()
    {
        // A fresh trigger per request, as Slack sends: otherwise the second one is a (cheaper) duplicate.
        var body = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(_body).Replace("803a0bc887a14d10d2c447fce8b6703c", "bench" + Interlocked.Increment(ref _sequence).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/slack/commands") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        request.Headers.Add("X-Slack-Signature", SlackSignatureVerifier.Sign(Secret, timestamp, body));
        using var response = await _client!.SendAsync(request);
        return response.StatusCode;
    }
}
