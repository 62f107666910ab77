using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using KpiBot.Channels.Teams;
using KpiBot.Channels.Teams.Adapter;
using KpiBot.Channels.Teams.Auth;
using KpiBot.Channels.Teams.Schema;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace KpiBot.Benchmarks.Teams;

/// <summary>
/// The per-request cost of the Teams inbound path before the bot runs: JWT validation with cached keys
/// (RS256 signature, issuer, audience, lifetime) and parsing + mapping an activity.
/// Run: <c>dotnet run -c Release --project bench/KpiBot.Benchmarks -- --filter '*TeamsInbound*'</c>.
/// </summary>
[MemoryDiagnoser]
public class TeamsInboundBenchmarks : IDisposable
{
    private const string AppId = "eac5e5c6-ab14-4f50-80cb-49213fe51b1a";
    private const string MetadataUrl = "https://login.botframework.test/v1/.well-known/openidconfiguration";
    private const string KeysUrl = "https://login.botframework.test/v1/.well-known/keys";
    private readonly RSA _rsa = RSA.Create(2048);
    private BotFrameworkTokenValidator _validator = null!;
    private string _header = "";
    private byte[] _body = [];

    /// <summary>Builds a validator whose keys are already cached, a signed token and a real activity body.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var p = _rsa.ExportParameters(false);
        var jwks = new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kty"] = "RSA", ["use"] = "sig", ["kid"] = "k1", ["n"] = Base64UrlEncoder.Encode(p.Modulus), ["e"] = Base64UrlEncoder.Encode(p.Exponent),
                ["endorsements"] = new JsonArray("msteams"),
            }),
        };
        var metadata = new JsonObject { ["issuer"] = BotFrameworkIssuers.BotFrameworkIssuer, ["jwks_uri"] = KeysUrl };
        var options = Options.Create(new TeamsOptions { AppId = AppId, AppPassword = "x", OpenIdMetadataUrl = MetadataUrl });
        _validator = new BotFrameworkTokenValidator(options, new StaticHttpClientFactory(new Dictionary<string, string>
        {
            [MetadataUrl] = metadata.ToJsonString(),
            [KeysUrl] = jwks.ToJsonString(),
        }), TimeProvider.System);

        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = BotFrameworkIssuers.BotFrameworkIssuer,
            Audience = AppId,
            Expires = DateTime.UtcNow.AddHours(1),
            Claims = new Dictionary<string, object> { ["serviceurl"] = "https://smba.trafficmanager.net/amer/" },
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(_rsa) { KeyId = "k1" }, SecurityAlgorithms.RsaSha256),
        });
        _header = "Bearer " + token;
        _body = Encoding.UTF8.GetBytes("""
            {"text":"<at>KpiBot</at> log booked 5 held 3\n","textFormat":"plain","type":"message","timestamp":"2026-12-04T10:53:37.385Z","id":"1571691217375","channelId":"msteams","serviceUrl":"https://smba.trafficmanager.net/amer/","from":{"id":"29:1kbOecyrymSn1FtrbJlQNF","name":"Tien Suwandy","aadObjectId":"6d415fdd-f97e-4f70-ac45-e69601e4ecb2"},"conversation":{"conversationType":"channel","tenantId":"72f988bf-86f1-41af-91ab-2d7cd011db47","id":"19:097e6717fd7245bdbeba6baa13840db8@thread.skype;messageid=1571537152320"},"recipient":{"id":"28:eac5e5c6-ab14-4f50-80cb-49213fe51b1a","name":"KpiBot"},"entities":[{"mentioned":{"id":"28:eac5e5c6-ab14-4f50-80cb-49213fe51b1a","name":"KpiBot"},"text":"<at>KpiBot</at>","type":"mention"},{"locale":"en-US","country":"US","platform":"Windows","timezone":"Europe/Stockholm","type":"clientInfo"}],"channelData":{"tenant":{"id":"72f988bf-86f1-41af-91ab-2d7cd011db47"}},"locale":"en-US"}
            """);
        if (_validator.ValidateAsync(_header, CancellationToken.None).GetAwaiter().GetResult().Token is null)
        {
            throw new InvalidOperationException("benchmark token does not validate");
        }
    }

    /// <summary>Signature, issuer, audience and lifetime of one bearer token (keys cached).</summary>
    [Benchmark]
    public async Task<bool> ValidateToken() => (await _validator.ValidateAsync(_header, CancellationToken.None)).Token is not null;

    /// <summary>Parse the raw body (source-generated JSON) and map it to the neutral message.</summary>
    [Benchmark]
    public string? ParseAndMap()
    {
        var activity = JsonSerializer.Deserialize(_body, TeamsJsonContext.Default.Activity)!;
        return TeamsActivityMapper.ToIncomingMessage(activity, DateTimeOffset.UnixEpoch)?.Text;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _validator?.Dispose();
        _rsa.Dispose();
        GC.SuppressFinalize(this);
    }

    private sealed class StaticHttpClientFactory(IReadOnlyDictionary<string, string> documents) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(new StaticHandler(documents));
    }

    private sealed class StaticHandler(IReadOnlyDictionary<string, string> documents) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(documents.TryGetValue(request.RequestUri!.AbsoluteUri, out var body)
                ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") }
                : new HttpResponseMessage(HttpStatusCode.NotFound));
    }
}
