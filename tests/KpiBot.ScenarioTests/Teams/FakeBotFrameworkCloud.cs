using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace KpiBot.ScenarioTests.Teams;

/// <summary>One request KpiBot sent to the fake Bot Connector.</summary>
internal sealed record RecordedCall(HttpMethod Method, Uri Uri, string? Authorization, string Body, TimeSpan At)
{
    public JsonNode Json => JsonNode.Parse(Body)!;
}

/// <summary>
/// Everything on the other side of the wire, in one HttpMessageHandler: the OpenID metadata and JWKS
/// of the Bot Framework and of Entra ID (serving test keys), the token endpoint, and a Connector that
/// records every call and answers from a script (default 201 with an id).
/// </summary>
internal sealed class FakeBotFrameworkCloud : HttpMessageHandler
{
    public const string MetadataUrl = "https://login.botframework.test/v1/.well-known/openidconfiguration";
    public const string KeysUrl = "https://login.botframework.test/v1/.well-known/keys";
    public const string EntraMetadataUrl = "https://login.entra.test/common/v2.0/.well-known/openid-configuration";
    public const string EntraKeysUrl = "https://login.entra.test/common/discovery/v2.0/keys";
    public const string TokenUrl = "https://login.entra.test/botframework.com/oauth2/v2.0/token";

    private readonly Lock _gate = new();
    private readonly List<RecordedCall> _calls = [];
    private readonly Queue<Func<HttpResponseMessage>> _script = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _replyCounter;

    public List<TestSigningKey> BotFrameworkKeys { get; } = [];

    public List<TestSigningKey> EntraKeys { get; } = [];

    public int KeySetFetches { get; private set; }

    public int TokenRequests { get; private set; }

    public string? LastTokenRequestBody { get; private set; }

    public IReadOnlyList<RecordedCall> ConnectorCalls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>Queues the Connector's next answer(s); unscripted calls get 201 with a new id.</summary>
    public void Then(Func<HttpResponseMessage> response)
    {
        lock (_gate)
        {
            _script.Enqueue(response);
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> Connector calls arrived (generous timeout: this waits, it does not measure).</summary>
    public async Task<IReadOnlyList<RecordedCall>> WaitForCallsAsync(int count, int timeoutSeconds = 20)
    {
        var deadline = Stopwatch.StartNew();
        while (ConnectorCalls.Count < count)
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(timeoutSeconds))
            {
                throw new TimeoutException($"expected {count} Connector call(s), got {ConnectorCalls.Count}");
            }

            await Task.Delay(25);
        }

        return ConnectorCalls;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var url = request.RequestUri!.GetLeftPart(UriPartial.Path);
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        switch (url)
        {
            case MetadataUrl:
                return Json(Metadata("https://api.botframework.com", KeysUrl));
            case EntraMetadataUrl:
                return Json(Metadata("https://login.microsoftonline.com/{tenantid}/v2.0", EntraKeysUrl));
            case KeysUrl:
                KeySetFetches++;
                return Json(KeySet(BotFrameworkKeys));
            case EntraKeysUrl:
                return Json(KeySet(EntraKeys));
            case TokenUrl:
                TokenRequests++;
                LastTokenRequestBody = body;
                return Json(new JsonObject
                {
                    ["token_type"] = "Bearer",
                    ["expires_in"] = 3600,
                    ["ext_expires_in"] = 3600,
                    ["access_token"] = $"outbound-token-{TokenRequests}",
                });
        }

        Func<HttpResponseMessage>? scripted = null;
        int n;
        lock (_gate)
        {
            _calls.Add(new RecordedCall(request.Method, request.RequestUri!, request.Headers.Authorization?.ToString(), body, _clock.Elapsed));
            _script.TryDequeue(out scripted);
            n = ++_replyCounter;
        }

        return scripted?.Invoke() ?? Json(new JsonObject { ["id"] = $"1:reply-{n}" }, HttpStatusCode.Created);
    }

    public static HttpResponseMessage Status(HttpStatusCode status, string? retryAfterSeconds = null, string? body = null)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(body ?? "{}", Encoding.UTF8, "application/json") };
        if (retryAfterSeconds is not null)
        {
            response.Headers.TryAddWithoutValidation("Retry-After", retryAfterSeconds);
        }

        return response;
    }

    private static JsonObject Metadata(string issuer, string keys) => new()
    {
        ["issuer"] = issuer,
        ["authorization_endpoint"] = "https://invalid.test/authorize",
        ["jwks_uri"] = keys,
        ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
        ["token_endpoint_auth_methods_supported"] = new JsonArray("private_key_jwt"),
    };

    private static JsonObject KeySet(List<TestSigningKey> keys) => new() { ["keys"] = new JsonArray([.. keys.Select(k => (JsonNode)k.ToJwk())]) };

    private static HttpResponseMessage Json(JsonNode body, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
}
