using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using KpiBot.Channels;
using KpiBot.Channels.Slack;
using KpiBot.Conversation;
using KpiBot.Rendering;
using KpiBot.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KpiBot.ScenarioTests.Slack;

/// <summary>
/// KpiBot with the Slack channel configured against a fake Slack: a test signing secret and bot token,
/// a temp LiteDB file, and (until the real ones are merged) in-memory stand-ins for the bot, the store
/// and the renderer.
/// </summary>
public sealed class SlackTestHost : WebApplicationFactory<Program>
{
    /// <summary>The signing secret tests sign with.</summary>
    public const string SigningSecret = "8f742231b10e8888abcd99yyyzzz85a5";

    private readonly string _dbPath = Path.Combine(Path.GetTempPath(), $"kpibot-slack-{Guid.NewGuid():N}.db");
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _configureServices;
    private readonly bool _realServices;

    /// <summary>A host; <paramref name="settings"/> override the Slack defaults below.</summary>
    /// <param name="settings">Configuration overriding the Slack test defaults.</param>
    /// <param name="configureServices">Further test service changes.</param>
    /// <param name="realServices">True: the real bot, LiteDB store and conversation directory (only Slack is faked).</param>
    public SlackTestHost(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configureServices = null, bool realServices = false)
    {
        _configureServices = configureServices;
        _realServices = realServices;
        _settings = new Dictionary<string, string?>
        {
            ["Slack:SigningSecret"] = SigningSecret,
            ["Slack:BotToken"] = "xoxb-test-token",
            ["Slack:AppToken"] = "",
            ["Slack:ApiBaseUrl"] = "https://slack.test/api/",
            ["Storage:LiteDbPath"] = _dbPath,
            ["Bot:PublicBaseUrl"] = "https://kpibot.test",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
        Store = new FakeKpiStore();
        Bot = new RecordingBot(Store);
    }

    /// <summary>The fake Slack Web API (and response_url host).</summary>
    public FakeSlackApi Slack { get; } = new();

    /// <summary>The store stand-in.</summary>
    public FakeKpiStore Store { get; }

    /// <summary>The bot stand-in.</summary>
    public RecordingBot Bot { get; }

    /// <summary>The conversation directory stand-in.</summary>
    public FakeConversationDirectory Directory { get; } = new();

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(services =>
        {
            services.AddHttpClient(SlackWebApi.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => Slack);
            _configureServices?.Invoke(services);
            if (_realServices)
            {
                return;
            }
            services.RemoveAll<IKpiStore>();
            services.AddSingleton<IKpiStore>(Store);
            services.RemoveAll<IConversationDirectory>();
            services.AddSingleton<IConversationDirectory>(Directory);
            services.RemoveAll<IBot>();
            services.AddSingleton<IBot>(Bot);
        });
    }

    /// <summary>Waits until every queued Slack work item has finished.</summary>
    public Task IdleAsync() =>
        Services.GetRequiredService<SlackWorkQueue>().WhenIdleAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);

    /// <summary>Sends <paramref name="body"/> signed like Slack does, <paramref name="age"/> ago.</summary>
    public Task<HttpResponseMessage> PostSignedAsync(string path, string body, string contentType, DateTimeOffset? signedAt = null, int? retryNum = null, string? secret = null)
    {
        var timestamp = (signedAt ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        request.Headers.Add("X-Slack-Signature", SlackSignatureVerifier.Sign(secret ?? SigningSecret, timestamp, Encoding.UTF8.GetBytes(body)));
        if (retryNum is { } n)
        {
            request.Headers.Add("X-Slack-Retry-Num", n.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("X-Slack-Retry-Reason", "http_timeout");
        }
        return CreateClient().SendAsync(request);
    }

    /// <summary>A signed slash command.</summary>
    public Task<HttpResponseMessage> CommandAsync(string text, string user = "U2CERLKJA", string channel = "C0SALES", string trigger = "398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c") =>
        PostSignedAsync("/api/slack/commands", SlackPayloads.Command(text, user, channel, trigger), "application/x-www-form-urlencoded");

    /// <summary>A signed Events API delivery.</summary>
    public Task<HttpResponseMessage> EventAsync(string json, int? retryNum = null) =>
        PostSignedAsync("/api/slack/events", json, "application/json", retryNum: retryNum);

    /// <summary>A signed interaction (the JSON goes in the <c>payload</c> form field).</summary>
    public Task<HttpResponseMessage> InteractionAsync(string json) =>
        PostSignedAsync("/api/slack/interactions", "payload=" + Uri.EscapeDataString(json), "application/x-www-form-urlencoded");

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try
        {
            File.Delete(_dbPath);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Slack payloads for tests, built from the real fixtures in shared/fixtures/slack.</summary>
public static class SlackPayloads
{
    /// <summary>The fixtures folder.</summary>
    public static string FixturesDir { get; } = FindShared("fixtures/slack");

    /// <summary>A fixture file's text.</summary>
    public static string Fixture(string name) => File.ReadAllText(Path.Combine(FixturesDir, name));

    /// <summary>The shared folder next to the repository (the worktree's <c>../shared</c> link), found upwards.</summary>
    public static string FindShared(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in new[] { Path.Combine(dir.FullName, "shared", relative), Path.Combine(dir.FullName, "..", "shared", relative) })
            {
                if (System.IO.Directory.Exists(candidate) || File.Exists(candidate))
                {
                    return Path.GetFullPath(candidate);
                }
            }
        }
        throw new DirectoryNotFoundException($"shared/{relative} not found above {AppContext.BaseDirectory}");
    }

    /// <summary>The repository root (holds KpiBot.sln).</summary>
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KpiBot.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException("KpiBot.sln not found");
    }

    /// <summary>
    /// The slash command body of Slack's signature example with <c>/kpi</c>, another text, user, channel
    /// and trigger: the same fields in the same order as Slack sends them.
    /// </summary>
    public static string Command(string text, string user, string channel, string trigger)
    {
        var fields = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(Fixture("slash_command_body.signature_test_vector.txt"));
        var values = fields.ToDictionary(f => f.Key, f => f.Value.ToString());
        values["command"] = "/kpi";
        values["text"] = text;
        values["user_id"] = user;
        values["channel_id"] = channel;
        values["trigger_id"] = trigger;
        return string.Join("&", values.Select(kv => kv.Key + "=" + Uri.EscapeDataString(kv.Value)));
    }
}
