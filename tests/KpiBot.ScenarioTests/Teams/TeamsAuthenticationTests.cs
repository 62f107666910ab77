using System.Net;
using System.Text.Json.Nodes;
using KpiBot.Channels.Teams.Auth;
using Microsoft.AspNetCore.Hosting;

namespace KpiBot.ScenarioTests.Teams;

/// <summary>
/// Every forged or broken request to /api/messages is refused: the right status, nothing stored
/// (no workspace, no conversation reference, nothing handed to the bot) and nothing sent.
/// </summary>
[Collection(TeamsHostCollection.Name)]
public sealed class TeamsAuthenticationTests : IDisposable
{
    private const string Tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private readonly TeamsTestHost _host = new();

    public void Dispose() => _host.Dispose();

    private static JsonObject Message() => TeamsFixtures.PersonalMessage("log booked 5 held 3");

    private async Task AssertRefusedAsync(string body, string? authorization, HttpStatusCode expected = HttpStatusCode.Unauthorized)
    {
        using var response = await _host.PostAsync(body, authorization);
        Assert.Equal(expected, response.StatusCode);
        AssertNothingHappened();
    }

    private void AssertNothingHappened()
    {
        Assert.Null(_host.Store.FindWorkspace("teams:" + Tenant));
        Assert.Empty(_host.Directory.List("teams:" + Tenant));
        Assert.Empty(_host.Bot.Received);
        Assert.Empty(_host.Cloud.ConnectorCalls);
        Assert.Equal(0, _host.Cloud.TokenRequests);
    }

    [Fact]
    public async Task Missing_authorization_header_is_refused()
    {
        await AssertRefusedAsync(Message().ToJsonString(), authorization: null);
    }

    [Fact]
    public async Task Non_bearer_scheme_is_refused_even_with_a_valid_token()
    {
        await AssertRefusedAsync(Message().ToJsonString(), "Basic " + _host.Token());
        await AssertRefusedAsync(Message().ToJsonString(), "bearer " + _host.Token());
    }

    [Fact]
    public async Task Only_post_is_accepted()
    {
        using var client = _host.CreateClient();
        using var response = await client.GetAsync("/api/messages");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        AssertNothingHappened();
    }

    [Fact]
    public async Task Garbage_token_is_refused()
    {
        await AssertRefusedAsync(Message().ToJsonString(), "Bearer not-a-jwt");
    }

    [Fact]
    public async Task Expired_token_is_refused_beyond_the_five_minute_skew()
    {
        var token = _host.Token(notBefore: DateTime.UtcNow.AddHours(-2), expires: DateTime.UtcNow.AddMinutes(-6));
        await AssertRefusedAsync(Message().ToJsonString(), "Bearer " + token);
    }

    [Fact]
    public async Task Token_expired_within_the_skew_is_still_accepted()
    {
        var token = _host.Token(notBefore: DateTime.UtcNow.AddHours(-1), expires: DateTime.UtcNow.AddMinutes(-3));
        using var response = await _host.PostSignedAsync(Message(), token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Token_not_yet_valid_is_refused()
    {
        var token = _host.Token(notBefore: DateTime.UtcNow.AddMinutes(10), expires: DateTime.UtcNow.AddHours(1));
        await AssertRefusedAsync(Message().ToJsonString(), "Bearer " + token);
    }

    [Fact]
    public async Task Token_for_another_bot_is_refused()
    {
        var token = _host.Token(audience: "cd59cf47-aca1-41e0-8441-387faee8331e");
        await AssertRefusedAsync(Message().ToJsonString(), "Bearer " + token);
    }

    [Theory]
    [InlineData("https://api.botframework.com/")]
    [InlineData("https://evil.example/")]
    [InlineData("https://sts.windows.net/11111111-2222-3333-4444-555555555555/")]
    public async Task Token_from_an_untrusted_issuer_is_refused(string issuer)
    {
        var token = _host.Token(issuer: issuer);
        await AssertRefusedAsync(Message().ToJsonString(), "Bearer " + token);
    }

    [Fact]
    public async Task Token_signed_by_an_unpublished_key_is_refused_after_refetching_the_keys()
    {
        using var stranger = new TestSigningKey("bf-key-unknown", "msteams");
        await AssertRefusedAsync(Message().ToJsonString(), "Bearer " + _host.Token(stranger));
        Assert.Equal(2, _host.Cloud.KeySetFetches); // the first fetch, then one refetch for the unknown kid
    }

    [Fact]
    public async Task Token_with_a_published_kid_but_a_forged_signature_is_refused()
    {
        using var forger = new TestSigningKey(_host.Key.Kid, "msteams"); // same kid, different private key
        await AssertRefusedAsync(Message().ToJsonString(), "Bearer " + _host.Token(forger));
    }

    [Fact]
    public async Task Token_with_a_tampered_payload_is_refused()
    {
        var parts = _host.Token().Split('.');
        var payload = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Decode(parts[1]).Replace(TeamsTestHost.ServiceUrl, "https://evil.example/", StringComparison.Ordinal);
        var tampered = $"{parts[0]}.{Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(payload)}.{parts[2]}";
        var message = Message();
        message["serviceUrl"] = "https://evil.example/";
        await AssertRefusedAsync(message.ToJsonString(), "Bearer " + tampered);
    }

    [Fact]
    public async Task Activity_serviceUrl_different_from_the_token_claim_is_refused()
    {
        var message = Message();
        message["serviceUrl"] = "https://evil.example/amer/";
        await AssertRefusedAsync(message.ToJsonString(), "Bearer " + _host.Token());
    }

    [Fact]
    public async Task Channel_token_without_a_serviceurl_claim_is_refused()
    {
        await AssertRefusedAsync(Message().ToJsonString(), "Bearer " + _host.Token(serviceUrl: null));
    }

    [Fact]
    public async Task Key_not_endorsed_for_the_activity_channel_is_refused()
    {
        using var skypeOnly = new TestSigningKey("bf-key-skype", "skype");
        _host.Cloud.BotFrameworkKeys.Add(skypeOnly);
        await AssertRefusedAsync(Message().ToJsonString(), "Bearer " + _host.Token(skypeOnly));
    }

    [Fact]
    public async Task Malformed_json_is_a_bad_request()
    {
        await AssertRefusedAsync("{\"type\":\"message\",", "Bearer " + _host.Token(), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Activity_without_type_is_a_bad_request()
    {
        var message = Message();
        message.Remove("type");
        await AssertRefusedAsync(message.ToJsonString(), "Bearer " + _host.Token(), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Oversized_body_is_refused_with_413()
    {
        var message = Message();
        message["text"] = new string('x', 300 * 1024);
        await AssertRefusedAsync(message.ToJsonString(), "Bearer " + _host.Token(), HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Oversized_body_without_a_valid_token_is_refused_before_it_is_read()
    {
        var message = Message();
        message["text"] = new string('x', 300 * 1024);
        await AssertRefusedAsync(message.ToJsonString(), "Bearer " + _host.Token(audience: "someone-else"));
    }

    [Fact]
    public async Task Rotated_signing_key_is_picked_up_by_refetching_the_metadata()
    {
        using (var first = await _host.PostSignedAsync(Message()))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using var rotated = new TestSigningKey("bf-key-2", "msteams");
        _host.Cloud.BotFrameworkKeys.Add(rotated);
        using var second = await _host.PostSignedAsync(Message(), _host.Token(rotated));
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(2, _host.Cloud.KeySetFetches);
    }

    [Fact]
    public async Task Emulator_token_from_the_bot_framework_tenant_is_accepted()
    {
        var issuer = BotFrameworkIssuers.EntraV1Issuer(BotFrameworkIssuers.BotFrameworkTenantId);
        var message = Message();
        message["channelId"] = "emulator";
        var token = _host.Token(_host.EntraKey, issuer: issuer, serviceUrl: null,
            claims: new Dictionary<string, object> { ["ver"] = "1.0", ["appid"] = TeamsTestHost.AppId, ["tid"] = BotFrameworkIssuers.BotFrameworkTenantId });
        using var response = await _host.PostSignedAsync(message, token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

/// <summary>The channel without an app id: off outside Development, Emulator-only inside it.</summary>
[Collection(TeamsHostCollection.Name)]
public sealed class TeamsChannelOffTests
{
    [Fact]
    public async Task Without_an_app_id_outside_development_the_endpoint_is_unavailable_and_nothing_happens()
    {
        using var host = new TeamsTestHost(configured: false, environment: "Production");
        using var response = await host.PostAsync(TeamsFixtures.PersonalMessage("help").ToJsonString(), authorization: null);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("Teams:AppId", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(host.Bot.Received);
    }

    [Fact]
    public async Task In_development_without_an_app_id_local_emulator_traffic_is_answered_without_a_token()
    {
        using var host = new TeamsTestHost(configured: false, environment: "Development");
        var message = TeamsFixtures.PersonalMessage("help");
        message["serviceUrl"] = "http://localhost:56789/";
        message["channelId"] = "emulator";
        using var response = await host.PostAsync(message.ToJsonString(), authorization: null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var calls = await host.Cloud.WaitForCallsAsync(1);
        Assert.StartsWith("http://localhost:56789/v3/conversations/", calls[0].Uri.ToString(), StringComparison.Ordinal);
        Assert.Null(calls[0].Authorization);
        Assert.Equal(0, host.Cloud.TokenRequests);
    }

    [Fact]
    public async Task Emulator_activity_without_a_tenant_is_answered_in_the_emulator_workspace()
    {
        using var host = new TeamsTestHost(configured: false, environment: "Development");
        var message = JsonNode.Parse("""
            {"type":"message","id":"emu-1","channelId":"emulator","serviceUrl":"http://localhost:56790",
             "from":{"id":"5f2e6b5c-user","name":"Dev User"},"recipient":{"id":"bot-1","name":"KpiBot"},
             "conversation":{"id":"conv-emu-1"},"text":"help","timestamp":"2026-12-04T10:00:00Z","localTimezone":"Europe/Stockholm"}
            """)!;
        using var response = await host.PostAsync(message.ToJsonString(), authorization: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var calls = await host.WaitForRepliesAsync(1);
        Assert.StartsWith("http://localhost:56790/v3/conversations/conv-emu-1/activities/emu-1", calls[0].Uri.AbsoluteUri, StringComparison.Ordinal);
        var received = Assert.Single(host.Bot.Received);
        Assert.Equal("teams:emulator", received.WorkspaceId);
        Assert.Equal("5f2e6b5c-user", received.UserId);
    }

    [Fact]
    public async Task In_development_without_an_app_id_a_non_local_service_url_is_refused()
    {
        using var host = new TeamsTestHost(configured: false, environment: "Development");
        using var response = await host.PostAsync(TeamsFixtures.PersonalMessage("help").ToJsonString(), authorization: null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(host.Bot.Received);
        Assert.Empty(host.Cloud.ConnectorCalls);
    }

    [Theory]
    [InlineData("not-a-guid", "secret", "Teams:AppId")]
    [InlineData("eac5e5c6-ab14-4f50-80cb-49213fe51b1a", "", "Teams:AppPassword")]
    public void Bad_teams_settings_stop_the_start_naming_the_setting(string appId, string password, string named)
    {
        using var settings = new TeamsTestHost();
        using var host = settings.WithWebHostBuilder(b =>
        {
            b.UseSetting("Teams:AppId", appId);
            b.UseSetting("Teams:AppPassword", password);
        });
        var error = Assert.ThrowsAny<Exception>(() => host.Services);
        Assert.Contains(named, error.ToString(), StringComparison.Ordinal);
    }
}
