using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Json.Nodes;
using KpiBot.Channels;
using KpiBot.Channels.Teams.Auth;
using KpiBot.Channels.Teams.Connector;
using KpiBot.Conversation;
using KpiBot.Rendering;
using KpiBot.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace KpiBot.ScenarioTests.Teams;

/// <summary>
/// KpiBot with the Teams channel configured against <see cref="FakeBotFrameworkCloud"/> and a temp
/// LiteDB file, with the real conversation engine (wrapped by <see cref="RecordingBot"/>), store and
/// card renderer.
/// </summary>
internal sealed class TeamsTestHost : WebApplicationFactory<Program>
{
    /// <summary>The bot of the recorded fixtures (28:eac5e5c6-…): our app id.</summary>
    public const string AppId = "eac5e5c6-ab14-4f50-80cb-49213fe51b1a";
    public const string BotAccountId = "28:" + AppId;
    public const string ServiceUrl = "https://smba.trafficmanager.test/amer/";

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "kpibot-teams-tests", Guid.NewGuid().ToString("N"));
    private readonly bool _configured;
    private readonly string _environment;

    public TeamsTestHost(bool configured = true, string environment = "Production")
    {
        _configured = configured;
        _environment = environment;
        Cloud.BotFrameworkKeys.Add(Key);
        Cloud.EntraKeys.Add(EntraKey);
    }

    public FakeBotFrameworkCloud Cloud { get; } = new();

    /// <summary>The published Bot Framework key, endorsed for msteams.</summary>
    public TestSigningKey Key { get; } = new("bf-key-1", "msteams", "skype");

    /// <summary>A published Entra key (no endorsements), for Emulator tokens.</summary>
    public TestSigningKey EntraKey { get; } = new("entra-key-1");

    public RecordingBot Bot => (RecordingBot)Services.GetRequiredService<IBot>();

    public IKpiStore Store => Services.GetRequiredService<IKpiStore>();

    public IConversationDirectory Directory => Services.GetRequiredService<IConversationDirectory>();

    /// <summary>True when the host registers the real engine, store and renderer.</summary>
    public bool UsesRealServices { get; private set; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "LiteDb",
            ["Storage:LiteDbPath"] = Path.Combine(_dataDirectory, "kpibot.db"),
            ["Bot:PublicBaseUrl"] = "https://kpibot.test",
            ["Teams:AppId"] = _configured ? AppId : "",
            ["Teams:AppPassword"] = _configured ? "test-secret" : "",
            ["Teams:OpenIdMetadataUrl"] = FakeBotFrameworkCloud.MetadataUrl,
            ["Teams:EntraOpenIdMetadataUrl"] = FakeBotFrameworkCloud.EntraMetadataUrl,
            ["Teams:TokenEndpoint"] = FakeBotFrameworkCloud.TokenUrl,
        };
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            foreach (var name in new[] { BotFrameworkTokenValidator.HttpClientName, BotTokenProvider.HttpClientName, ConnectorClient.HttpClientName })
            {
                services.AddHttpClient(name).ConfigurePrimaryHttpMessageHandler(() => Cloud);
            }

            var realStore = services.Any(d => d.ServiceType == typeof(IKpiStore));
            var realRenderer = services.Any(d => d.ServiceType == typeof(IAdaptiveCardRenderer));
            var engine = services.LastOrDefault(d => d.ServiceType == typeof(IBot));
            UsesRealServices = realStore && realRenderer && engine is not null;

            if (engine is null)
            {
                throw new InvalidOperationException("the host registers no IBot; the Teams scenarios need the conversation engine");
            }

            services.RemoveAll<IBot>();
            services.AddSingleton<IBot>(sp => new RecordingBot(Create(sp, engine)));
        });
    }

    private static IBot Create(IServiceProvider services, ServiceDescriptor descriptor) =>
        descriptor.ImplementationInstance as IBot
        ?? (IBot?)descriptor.ImplementationFactory?.Invoke(services)
        ?? (IBot)ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!);

    /// <summary>A Bot Framework channel token as the Connector would send it.</summary>
    public string Token(
        TestSigningKey? key = null,
        string issuer = BotFrameworkIssuers.BotFrameworkIssuer,
        string audience = AppId,
        string? serviceUrl = ServiceUrl,
        DateTime? notBefore = null,
        DateTime? expires = null,
        IDictionary<string, object>? claims = null)
    {
        var now = DateTime.UtcNow;
        var all = new Dictionary<string, object>(claims ?? new Dictionary<string, object>());
        if (serviceUrl is not null)
        {
            all["serviceurl"] = serviceUrl;
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            NotBefore = notBefore ?? now.AddMinutes(-5),
            Expires = expires ?? now.AddMinutes(55),
            IssuedAt = (notBefore ?? now.AddMinutes(-5)),
            Claims = all,
            SigningCredentials = (key ?? Key).Credentials,
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>
    /// Waits until the bot has handled <paramref name="messages"/> messages and every reply it gave reached
    /// the Connector; returns the Connector calls so far.
    /// </summary>
    public async Task<IReadOnlyList<RecordedCall>> WaitForRepliesAsync(int messages)
    {
        for (var i = 0; i < 800; i++)
        {
            var handled = Bot.Handled.ToArray();
            if (handled.Length >= messages && Cloud.ConnectorCalls.Count >= handled.Sum(h => h.Replies))
            {
                return Cloud.ConnectorCalls;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"the bot handled {Bot.Handled.Count} of {messages} message(s); {Cloud.ConnectorCalls.Count} Connector call(s)");
    }

    /// <summary>POSTs an activity to /api/messages with the given Authorization header value (none when null).</summary>
    public async Task<HttpResponseMessage> PostAsync(string body, string? authorization)
    {
        using var client = CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return await client.SendAsync(request);
    }

    /// <summary>POSTs an activity signed with a valid channel token.</summary>
    public Task<HttpResponseMessage> PostSignedAsync(JsonNode activity, string? token = null) =>
        PostAsync(activity.ToJsonString(), "Bearer " + (token ?? Token()));

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Key.Dispose();
            EntraKey.Dispose();
            Cloud.Dispose();
            try
            {
                System.IO.Directory.Delete(_dataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // The OS may hold the file a moment longer; the temp folder is cleaned eventually.
            }
        }
    }
}

/// <summary>
/// The Teams scenario classes run one after another: each starts its own host and LiteDB file, and
/// starting several at once has raced inside LiteDB's global BsonMapper (reported to the store owner).
/// </summary>
[CollectionDefinition(Name)]
public sealed class TeamsHostCollection
{
    public const string Name = "Teams hosts";
}
