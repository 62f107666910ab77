using System.Net;
using KpiBot.Channels;
using KpiBot.Domain;
using KpiBot.Replies;
using Microsoft.Extensions.DependencyInjection;

namespace KpiBot.ScenarioTests.Teams;

/// <summary>The Connector side: token caching, retries honouring Retry-After, 403 handling, proactive sends.</summary>
[Collection(TeamsHostCollection.Name)]
public sealed class TeamsOutboundTests : IDisposable
{
    private const string Workspace = "teams:72f988bf-86f1-41af-91ab-2d7cd011db47";
    private readonly TeamsTestHost _host = new();

    public void Dispose() => _host.Dispose();

    private IProactiveSender Sender => _host.Services.GetServices<IProactiveSender>().Single(s => s.Platform == Platform.Teams);

    private async Task<ConversationAddress> PersonalAddressAsync()
    {
        var activity = TeamsFixtures.PersonalMessage("help");
        using (var response = await _host.PostSignedAsync(activity))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await _host.WaitForRepliesAsync(1);
        return _host.Directory.FindPersonal(Platform.Teams, Workspace, "6d415fdd-f97e-4f70-ac45-e69601e4ecb2")!;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 400 && !condition(); i++)
        {
            await Task.Delay(25);
        }
    }

    [Fact]
    public async Task The_outbound_token_is_requested_once_and_reused_for_later_replies()
    {
        using (await _host.PostSignedAsync(TeamsFixtures.PersonalMessage("help")))
        {
        }

        await _host.Cloud.WaitForCallsAsync(1);
        using (await _host.PostSignedAsync(TeamsFixtures.PersonalMessage("my stats")))
        {
        }

        var calls = await _host.Cloud.WaitForCallsAsync(2);
        Assert.All(calls, c => Assert.Equal("Bearer outbound-token-1", c.Authorization));
        Assert.Equal(1, _host.Cloud.TokenRequests);
    }

    [Fact]
    public async Task Throttled_reply_is_retried_after_the_connectors_retry_after()
    {
        _host.Cloud.Then(() => FakeBotFrameworkCloud.Status(HttpStatusCode.TooManyRequests, retryAfterSeconds: "1"));
        using (await _host.PostSignedAsync(TeamsFixtures.PersonalMessage("help")))
        {
        }

        var calls = await _host.Cloud.WaitForCallsAsync(2);
        Assert.Equal(calls[0].Uri, calls[1].Uri);
        Assert.Equal(calls[0].Body, calls[1].Body);
        // A lower bound only: the retry may come later on a busy machine, never sooner than Retry-After.
        Assert.True(calls[1].At - calls[0].At >= TimeSpan.FromMilliseconds(950), $"retried after {(calls[1].At - calls[0].At).TotalMilliseconds} ms");
    }

    [Theory]
    [InlineData(HttpStatusCode.PreconditionFailed)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    public async Task Transient_connector_failures_are_retried(HttpStatusCode status)
    {
        _host.Cloud.Then(() => FakeBotFrameworkCloud.Status(status, retryAfterSeconds: "0"));
        using (await _host.PostSignedAsync(TeamsFixtures.PersonalMessage("help")))
        {
        }

        var calls = await _host.Cloud.WaitForCallsAsync(2);
        Assert.Equal(calls[0].Body, calls[1].Body);
    }

    [Fact]
    public async Task Forbidden_reply_marks_the_conversation_inactive_without_retrying()
    {
        _host.Cloud.Then(() => FakeBotFrameworkCloud.Status(HttpStatusCode.Forbidden, body: "{\"error\":{\"code\":\"ConversationBlockedByUser\",\"message\":\"User blocked the conversation with the bot.\"}}"));
        using (await _host.PostSignedAsync(TeamsFixtures.PersonalMessage("help")))
        {
        }

        await _host.Cloud.WaitForCallsAsync(1);
        var key = ConversationAddress.KeyOf(Platform.Teams, Workspace, TeamsFixtures.PersonalMessage("x")["conversation"]!["id"]!.GetValue<string>());
        await WaitUntilAsync(() => _host.Directory.Find(key) is { Active: false });
        Assert.False(_host.Directory.Find(key)!.Active);

        // The address is marked after the resilience pipeline is done, so any retry would already be recorded.
        var calls = _host.Cloud.ConnectorCalls;
        Assert.Single(calls, c => c.Body == calls[0].Body);
    }

    [Fact]
    public async Task Proactive_send_posts_a_new_message_to_the_stored_conversation()
    {
        var address = await PersonalAddressAsync();
        var before = _host.Cloud.ConnectorCalls.Count;
        var outcome = await Sender.SendAsync(address, Reply.Text("Friday nudge: log your week"), CancellationToken.None);

        Assert.Equal(SendStatus.Sent, outcome.Status);
        Assert.Equal($"1:reply-{before + 1}", outcome.MessageId);
        var call = _host.Cloud.ConnectorCalls[before];
        Assert.Equal($"{TeamsTestHost.ServiceUrl}v3/conversations/{Uri.EscapeDataString(address.ConversationId)}/activities", call.Uri.AbsoluteUri);
        Assert.Null(call.Json["replyToId"]);
        Assert.Equal(TeamsTestHost.BotAccountId, call.Json["from"]!["id"]!.GetValue<string>());
        Assert.Contains("Friday nudge", call.Json["attachments"]![0]!["content"]!.ToJsonString(), StringComparison.Ordinal);
        AdaptiveCardSchema.AssertValid(call.Json["attachments"]![0]!["content"]);
    }

    [Fact]
    public async Task Proactive_send_that_stays_throttled_asks_to_retry_later_with_the_connectors_delay()
    {
        var address = await PersonalAddressAsync();
        var before = _host.Cloud.ConnectorCalls.Count;
        for (var i = 0; i < 4; i++)
        {
            _host.Cloud.Then(() => FakeBotFrameworkCloud.Status(HttpStatusCode.TooManyRequests, retryAfterSeconds: "1"));
        }

        var outcome = await Sender.SendAsync(address, Reply.Text("nudge"), CancellationToken.None);
        Assert.Equal(SendStatus.RetryLater, outcome.Status);
        Assert.Equal(TimeSpan.FromSeconds(1), outcome.RetryAfter);
        Assert.Equal(before + 4, _host.Cloud.ConnectorCalls.Count); // 1 try and 3 retries
    }

    [Fact]
    public async Task Proactive_send_to_a_blocked_conversation_reports_it_gone_and_marks_it_inactive()
    {
        var address = await PersonalAddressAsync();
        var before = _host.Cloud.ConnectorCalls.Count;
        _host.Cloud.Then(() => FakeBotFrameworkCloud.Status(HttpStatusCode.Forbidden, body: "{\"error\":{\"code\":\"BotNotInConversationRoster\"}}"));

        var outcome = await Sender.SendAsync(address, Reply.Text("nudge"), CancellationToken.None);
        Assert.Equal(SendStatus.ConversationGone, outcome.Status);
        Assert.False(_host.Directory.Find(address.Key)!.Active);

        // An inactive address is not tried again.
        var again = await Sender.SendAsync(_host.Directory.Find(address.Key)!, Reply.Text("nudge"), CancellationToken.None);
        Assert.Equal(SendStatus.ConversationGone, again.Status);
        Assert.Equal(before + 1, _host.Cloud.ConnectorCalls.Count);
    }

    [Fact]
    public async Task Proactive_send_to_a_slack_address_is_refused_without_a_call()
    {
        var address = await PersonalAddressAsync();
        var before = _host.Cloud.ConnectorCalls.Count;
        var outcome = await Sender.SendAsync(address with { Platform = Platform.Slack }, Reply.Text("nudge"), CancellationToken.None);
        Assert.Equal(SendStatus.Failed, outcome.Status);
        Assert.Equal(before, _host.Cloud.ConnectorCalls.Count);
    }

    [Fact]
    public async Task Connector_401_gets_one_retry_with_a_fresh_token()
    {
        _host.Cloud.Then(() => FakeBotFrameworkCloud.Status(HttpStatusCode.Unauthorized));
        using (await _host.PostSignedAsync(TeamsFixtures.PersonalMessage("help")))
        {
        }

        var calls = await _host.Cloud.WaitForCallsAsync(2);
        Assert.Equal("Bearer outbound-token-1", calls[0].Authorization);
        Assert.Equal("Bearer outbound-token-2", calls[1].Authorization);
    }

    [Fact]
    public async Task A_reply_too_big_for_teams_is_sent_within_the_28_kb_budget()
    {
        var address = await PersonalAddressAsync();
        var before = _host.Cloud.ConnectorCalls.Count;
        var huge = new Reply("Team overview (long)", [.. Enumerable.Range(0, 400).Select(i => (ReplyBlock)new Paragraph($"Row {i}: " + new string('x', 100)))]);

        var outcome = await Sender.SendAsync(address, huge, CancellationToken.None);

        Assert.Equal(SendStatus.Sent, outcome.Status);
        var call = _host.Cloud.ConnectorCalls[before];
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(call.Body) <= 30 * 1024, $"the message is {call.Body.Length} bytes");
        if (call.Json["attachments"] is { } attachments)
        {
            AdaptiveCardSchema.AssertValid(attachments[0]!["content"]);
        }
        else
        {
            Assert.Equal("Team overview (long)", call.Json["text"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Charts_go_to_teams_as_native_chart_elements_with_an_image_fallback()
    {
        var address = await PersonalAddressAsync();
        var before = _host.Cloud.ConnectorCalls.Count;
        var weeks = new[] { "W41", "W42", "W43", "W44", "W45", "W46" };
        var trend = new Reply("Anna: meetings booked per week", [
            new Heading("Anna", new Badge("Normal", Tone.Good)),
            new Chart("Meetings booked per week", ChartKind.Line, weeks, [
                new ChartSeries("Booked", [4, 5, null, 6, 7, 8]),
                new ChartSeries("Trend", [4.2, 4.9, 5.6, 6.3, 7.0, 7.7], IsFit: true)]),
        ]);

        var outcome = await Sender.SendAsync(address, trend, CancellationToken.None);

        Assert.Equal(SendStatus.Sent, outcome.Status);
        var card = _host.Cloud.ConnectorCalls[before].Json["attachments"]![0]!["content"]!;
        Assert.Contains("\"Chart.Line\"", card.ToJsonString(), StringComparison.Ordinal);
        AdaptiveCardSchema.AssertValid(card); // validates the chart's fallback in its place
    }
}
