using System.Net;
using KpiBot.Channels;
using KpiBot.Channels.Slack;
using KpiBot.Conversation;
using KpiBot.Domain;
using KpiBot.Replies;
using Microsoft.Extensions.DependencyInjection;

namespace KpiBot.ScenarioTests.Slack;

/// <summary>The Web API client's handling of rate limits, errors and transient failures, and the proactive sender.</summary>
public sealed class SlackWebApiTests : IDisposable
{
    private readonly SlackTestHost _host = new();

    public void Dispose() => _host.Dispose();

    private static HttpResponseMessage RateLimited(int seconds)
    {
        var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(seconds));
        return response;
    }

    private static ConversationAddress Channel(string id = "C0SALES") => new(
        ConversationAddress.KeyOf(Platform.Slack, "slack:T1", id), Platform.Slack, "slack:T1", id, ConversationKind.Channel, "sales", null, null,
        new Dictionary<string, string>(), true, DateTimeOffset.UnixEpoch);

    private IProactiveSender Sender => _host.Services.GetServices<IProactiveSender>().Single(s => s.Platform == Platform.Slack);

    [Fact]
    public async Task A_rate_limited_reply_waits_the_retry_after_and_is_then_posted()
    {
        _host.Slack.Script("chat.postMessage", () => RateLimited(1));
        _host.Bot.Answer = _ => BotResponse.Of(new Reply("Team", [new Paragraph("Team")], ReplyVisibility.Conversation));

        await _host.EventAsync(SlackPayloads.Fixture("event_callback_app_mention.json"));
        await _host.IdleAsync();

        var posts = _host.Slack.CallsTo("chat.postMessage");
        Assert.Equal(2, posts.Count);
        Assert.True(posts[1].At - posts[0].At >= TimeSpan.FromSeconds(0.95), $"retried after {(posts[1].At - posts[0].At).TotalMilliseconds} ms, before Retry-After");
    }

    [Fact]
    public async Task A_scheduled_send_that_is_rate_limited_returns_retry_later_with_slacks_wait_and_no_retry()
    {
        _host.Slack.Script("chat.postMessage", () => RateLimited(7));

        var outcome = await Sender.SendAsync(Channel(), Reply.Text("Weekly nudge"), CancellationToken.None);

        Assert.Equal(SendStatus.RetryLater, outcome.Status);
        Assert.Equal(TimeSpan.FromSeconds(7), outcome.RetryAfter);
        Assert.Single(_host.Slack.CallsTo("chat.postMessage"));
    }

    [Theory]
    [InlineData("channel_not_found")]
    [InlineData("not_in_channel")]
    [InlineData("is_archived")]
    [InlineData("account_inactive")]
    public async Task A_conversation_kpibot_can_no_longer_post_in_is_marked_inactive(string error)
    {
        _host.Slack.Script("chat.postMessage", () => FakeSlackApi.Json($$"""{"ok":false,"error":"{{error}}"}"""));
        var address = Channel();

        var outcome = await Sender.SendAsync(address, Reply.Text("Weekly nudge"), CancellationToken.None);

        Assert.Equal((SendStatus.ConversationGone, error), (outcome.Status, outcome.Error));
        Assert.Equal(error, _host.Directory.Inactive[address.Key]);
    }

    [Fact]
    public async Task A_scheduled_send_posts_the_rendered_card_to_the_stored_channel()
    {
        var outcome = await Sender.SendAsync(Channel("C0NUDGE"), new Reply("Time to log", [new Heading("Weekly numbers"), new Paragraph("Log your week")], ReplyVisibility.Conversation), CancellationToken.None);

        Assert.Equal((SendStatus.Sent, "1733300000.000100"), (outcome.Status, outcome.MessageId));
        var post = Assert.Single(_host.Slack.CallsTo("chat.postMessage"));
        Assert.Equal(("C0NUDGE", "Time to log"), ((string?)post.Json["channel"], (string?)post.Json["text"]));
        Assert.Equal("Bearer xoxb-test-token", post.Authorization);
        SlackAssert.WithinBlockKitLimits(_host.Slack);
    }

    [Fact]
    public async Task A_bad_token_is_a_permanent_failure_not_a_retry()
    {
        _host.Slack.Script("chat.postMessage", () => FakeSlackApi.Json("""{"ok":false,"error":"invalid_auth"}"""));

        var outcome = await Sender.SendAsync(Channel(), Reply.Text("x"), CancellationToken.None);

        Assert.Equal((SendStatus.Failed, "invalid_auth"), (outcome.Status, outcome.Error));
        Assert.Empty(_host.Directory.Inactive);
    }

    [Fact]
    public async Task A_transient_server_error_is_retried_with_backoff()
    {
        _host.Slack.Script("chat.postMessage", () => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
        _host.Slack.Script("chat.postMessage", () => new HttpResponseMessage(HttpStatusCode.BadGateway));

        var outcome = await Sender.SendAsync(Channel(), Reply.Text("x"), CancellationToken.None);

        Assert.Equal(SendStatus.Sent, outcome.Status);
        var posts = _host.Slack.CallsTo("chat.postMessage");
        Assert.Equal(3, posts.Count);
        Assert.True(posts[2].At > posts[1].At && posts[1].At > posts[0].At);
    }

    [Fact]
    public async Task When_users_info_fails_the_payload_name_is_used_and_the_command_still_runs()
    {
        _host.Slack.Script("users.info", () => FakeSlackApi.Json("""{"ok":false,"error":"missing_scope","needed":"users:read"}"""));

        await _host.CommandAsync("my stats");
        await _host.IdleAsync();

        var message = Assert.Single(_host.Bot.Messages);
        Assert.Equal("roadrunner", message.UserName);
        Assert.Null(message.TimeZoneId);
    }

    [Fact]
    public async Task A_persons_identity_is_looked_up_once_and_then_cached()
    {
        await _host.CommandAsync("my stats", trigger: "t1");
        await _host.CommandAsync("my funnel", trigger: "t2");
        await _host.IdleAsync();

        Assert.Equal(2, _host.Bot.Messages.Count);
        Assert.Single(_host.Slack.CallsTo("users.info"));
    }

    [Fact]
    public void Response_urls_are_only_followed_to_slack_or_the_configured_api_host()
    {
        var api = new Uri("http://127.0.0.1:5999/api/");
        Assert.True(SlackWebApi.IsTrustedResponseUrl("https://hooks.slack.com/commands/T1/2/3", api));
        Assert.True(SlackWebApi.IsTrustedResponseUrl("http://127.0.0.1:5999/hooks/1", api));
        Assert.False(SlackWebApi.IsTrustedResponseUrl("http://hooks.slack.com/commands/T1/2/3", api));
        Assert.False(SlackWebApi.IsTrustedResponseUrl("https://hooks.slack.com.evil.test/x", api));
        Assert.False(SlackWebApi.IsTrustedResponseUrl("https://169.254.169.254/latest/meta-data", api));
        Assert.False(SlackWebApi.IsTrustedResponseUrl("not a url", api));
    }

    [Fact]
    public async Task A_network_failure_that_outlasts_the_retries_is_retry_later_not_an_exception()
    {
        for (var i = 0; i < 4; i++)
        {
            _host.Slack.Script("chat.postMessage", () => throw new HttpRequestException("connection refused"));
        }

        var outcome = await Sender.SendAsync(Channel(), Reply.Text("x"), CancellationToken.None);

        Assert.Equal((SendStatus.RetryLater, "network_error"), (outcome.Status, outcome.Error));
        Assert.Equal(4, _host.Slack.CallsTo("chat.postMessage").Count); // the first try and three retries
    }
}
