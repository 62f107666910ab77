using System.Globalization;
using System.Net;
using System.Text;
using KpiBot.Channels.Slack;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace KpiBot.ScenarioTests.Slack;

/// <summary>Every forged, stale or broken request is refused before anything is parsed, stored or sent.</summary>
public sealed class SlackRejectionTests : IDisposable
{
    private readonly SlackTestHost _host = new();
    private readonly string _body = SlackPayloads.Command("log booked 5 held 3", "U2CERLKJA", "C0SALES", "trig-1");

    public void Dispose() => _host.Dispose();

    private HttpRequestMessage Request(string path, string body, string? timestamp, string? signature, string contentType = "application/x-www-form-urlencoded")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new(contentType);
        if (timestamp is not null)
        {
            request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        }
        if (signature is not null)
        {
            request.Headers.Add("X-Slack-Signature", signature);
        }
        return request;
    }

    private static string Now(int offsetSeconds = 0) => DateTimeOffset.UtcNow.AddSeconds(offsetSeconds).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    private async Task AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode expected, string reasonFragment)
    {
        Assert.Equal(expected, response.StatusCode);
        Assert.Contains(reasonFragment, await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        await _host.IdleAsync();
        Assert.Empty(_host.Bot.Messages);
        Assert.Empty(_host.Store.Entries);
        Assert.Empty(_host.Store.InboundKeys);
        Assert.Empty(_host.Slack.Calls);
        Assert.Empty(_host.Directory.All);
    }

    [Theory]
    [InlineData("/api/slack/commands")]
    [InlineData("/api/slack/events")]
    [InlineData("/api/slack/interactions")]
    public async Task A_signature_made_with_another_secret_gets_401(string path)
    {
        var ts = Now();
        var response = await _host.CreateClient().SendAsync(Request(path, _body, ts, SlackSignatureVerifier.Sign("not-the-secret", ts, Encoding.UTF8.GetBytes(_body))));
        await AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "does not match");
    }

    [Fact]
    public async Task A_missing_signature_gets_401()
    {
        var response = await _host.CreateClient().SendAsync(Request("/api/slack/commands", _body, Now(), signature: null));
        await AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "X-Slack-Signature header is missing");
    }

    [Fact]
    public async Task A_missing_timestamp_gets_401()
    {
        var ts = Now();
        var response = await _host.CreateClient().SendAsync(Request("/api/slack/commands", _body, timestamp: null, SlackSignatureVerifier.Sign(SlackTestHost.SigningSecret, ts, Encoding.UTF8.GetBytes(_body))));
        await AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "X-Slack-Request-Timestamp");
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    public async Task A_correctly_signed_request_from_outside_the_five_minute_window_gets_401(int offsetSeconds)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 15, 0, 0, TimeSpan.Zero));
        using var host = HostWithClock(clock);
        var response = await host.PostSignedAsync("/api/slack/commands", _body, "application/x-www-form-urlencoded", signedAt: clock.GetUtcNow().AddSeconds(offsetSeconds));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("more than five minutes", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await host.IdleAsync();
        Assert.Empty(host.Bot.Messages);
        Assert.Empty(host.Store.InboundKeys);
        Assert.Empty(host.Slack.Calls);
    }

    [Theory]
    [InlineData(-300)]
    [InlineData(300)]
    public async Task A_request_signed_at_the_edge_of_the_window_is_accepted(int offsetSeconds)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 15, 0, 0, TimeSpan.Zero));
        using var host = HostWithClock(clock);
        var response = await host.PostSignedAsync("/api/slack/commands", _body, "application/x-www-form-urlencoded", signedAt: clock.GetUtcNow().AddSeconds(offsetSeconds));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>A host whose signature check reads <paramref name="clock"/> (the rest of KpiBot keeps the real clock).</summary>
    private static SlackTestHost HostWithClock(FakeTimeProvider clock) => new(configureServices: services =>
    {
        services.RemoveAll<SlackRequestVerifier>();
        services.AddSingleton(sp => new SlackRequestVerifier(sp.GetRequiredService<IOptions<SlackOptions>>(), clock));
    });

    [Fact]
    public async Task A_body_changed_after_signing_gets_401()
    {
        var ts = Now();
        var signature = SlackSignatureVerifier.Sign(SlackTestHost.SigningSecret, ts, Encoding.UTF8.GetBytes(_body));
        var tampered = _body.Replace("booked+5", "booked+50", StringComparison.Ordinal).Replace("booked%205", "booked%2050", StringComparison.Ordinal);
        Assert.NotEqual(_body, tampered);
        var response = await _host.CreateClient().SendAsync(Request("/api/slack/commands", tampered, ts, signature));
        await AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "does not match");
    }

    [Theory]
    [InlineData("/api/slack/commands", "application/x-www-form-urlencoded", "team_domain=x&text=hi", "no 'team_id' field")]
    [InlineData("/api/slack/commands", "application/json", "{\"text\":\"log\"}", "not application/x-www-form-urlencoded")]
    [InlineData("/api/slack/events", "application/json", "{\"type\":\"event_callback\",\"event\":", "not JSON")]
    [InlineData("/api/slack/events", "application/json", "{\"type\":\"event_callback\",\"team_id\":\"T1\"}", "needs 'team_id', 'event_id' and 'event'")]
    [InlineData("/api/slack/interactions", "application/x-www-form-urlencoded", "payload=%7Bnot-json", "'payload' field is not JSON")]
    [InlineData("/api/slack/interactions", "application/x-www-form-urlencoded", "nopayload=1", "one 'payload' field")]
    [InlineData("/api/slack/interactions", "application/x-www-form-urlencoded", "payload=%7B%22type%22%3A%22block_actions%22%7D", "needs 'type', 'team.id' and 'user.id'")]
    public async Task A_signed_but_malformed_body_gets_400_naming_what_is_wrong(string path, string contentType, string body, string reason)
    {
        var response = await _host.PostSignedAsync(path, body, contentType);
        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, reason);
    }

    [Fact]
    public async Task Without_a_signing_secret_the_http_channel_is_off_and_says_why()
    {
        using var host = new SlackTestHost(new Dictionary<string, string?> { ["Slack:SigningSecret"] = "" });
        var response = await host.CommandAsync("log booked 5");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("Slack:SigningSecret is not set", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await host.IdleAsync();
        Assert.Empty(host.Bot.Messages);
        Assert.Empty(host.Slack.Calls);
    }
}
