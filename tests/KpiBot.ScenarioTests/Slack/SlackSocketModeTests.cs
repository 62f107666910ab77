using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using KpiBot.Channels.Slack;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace KpiBot.ScenarioTests.Slack;

/// <summary>
/// A stand-in for Slack's Socket Mode server: Kestrel on loopback accepting WebSockets. The test drives
/// it: send frames to KpiBot, read KpiBot's acknowledgements, close or ask to reconnect.
/// </summary>
public sealed class FakeSocketModeServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<SocketSession> _sessions = Channel.CreateUnbounded<SocketSession>();
    private readonly System.Collections.Concurrent.ConcurrentBag<SocketSession> _all = [];

    private FakeSocketModeServer(WebApplication app) => _app = app;

    /// <summary>The ws:// URL apps.connections.open should hand out.</summary>
    public string Url { get; private set; } = "";

    /// <summary>Starts the server on a free loopback port.</summary>
    public static async Task<FakeSocketModeServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FakeSocketModeServer(app);
        app.UseWebSockets();
        app.Map("/link", async (HttpContext context) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = 400;
                return;
            }
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var session = new SocketSession(socket);
            server._all.Add(session);
            await server._sessions.Writer.WriteAsync(session);
            await session.Closed.Task;
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = address.Replace("http://", "ws://", StringComparison.Ordinal) + "/link";
        return server;
    }

    /// <summary>The next connection KpiBot opens.</summary>
    public async Task<SocketSession> NextSessionAsync() =>
        await _sessions.Reader.ReadAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);

    public async ValueTask DisposeAsync()
    {
        foreach (var session in _all)
        {
            session.Closed.TrySetResult(); // lets Kestrel stop at once, also when a test failed midway
        }
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One WebSocket connection from KpiBot.</summary>
public sealed class SocketSession(WebSocket socket)
{
    /// <summary>Completes when the test is done with the connection.</summary>
    public TaskCompletionSource Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Sends one frame.</summary>
    public Task SendAsync(string json) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>Reads KpiBot's next frame (an acknowledgement).</summary>
    public async Task<JsonObject> ReceiveAsync()
    {
        var buffer = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, timeout.Token);
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);
        return JsonNode.Parse(Encoding.UTF8.GetString(message.ToArray()))!.AsObject();
    }

    /// <summary>Ends the connection from the server side (a dropped socket).</summary>
    public async Task DropAsync()
    {
        try
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, "gone", CancellationToken.None);
        }
        finally
        {
            Closed.TrySetResult();
        }
    }
}

/// <summary>Socket Mode end to end against a loopback WebSocket server.</summary>
public sealed class SlackSocketModeTests
{
    [Fact]
    public async Task Envelopes_are_acknowledged_through_the_same_handlers_and_kpibot_reconnects_on_disconnect_and_drops()
    {
        await using var server = await FakeSocketModeServer.StartAsync();
        // No signing secret: Socket Mode needs none, and the HTTP endpoints stay off.
        using var host = new SlackTestHost(new Dictionary<string, string?> { ["Slack:SigningSecret"] = "", ["Slack:AppToken"] = "xapp-1-test" });
        host.Slack.SocketUrl = server.Url;
        _ = host.Services; // starts the host and its Socket Mode service

        var first = await server.NextSessionAsync();
        await first.SendAsync(SlackPayloads.Fixture("socket_mode_hello.json"));

        // A slash command: the acknowledgement carries the ephemeral answer (accepts_response_payload).
        var command = JsonNode.Parse(SlackPayloads.Fixture("socket_mode_envelope_slash_commands.json"))!.AsObject();
        command["envelope_id"] = "env-cmd";
        command["payload"]!["text"] = "log booked 2 held 1";
        await first.SendAsync(command.ToJsonString());
        var commandAck = await first.ReceiveAsync();
        Assert.Equal("env-cmd", (string?)commandAck["envelope_id"]);
        Assert.Equal("Working on it…", (string?)commandAck["payload"]!["text"]);

        // An app mention: acknowledged without a payload, handled in the background.
        var mention = JsonNode.Parse(SlackPayloads.Fixture("socket_mode_envelope_events_api_app_mention.json"))!.AsObject();
        mention["envelope_id"] = "env-event";
        await first.SendAsync(mention.ToJsonString());
        var eventAck = await first.ReceiveAsync();
        Assert.Equal("env-event", (string?)eventAck["envelope_id"]);
        Assert.Null(eventAck["payload"]);

        // The same event again (Slack retries an envelope it thinks was lost): acknowledged, not handled again.
        mention["envelope_id"] = "env-event-retry";
        mention["retry_attempt"] = 1;
        await first.SendAsync(mention.ToJsonString());
        Assert.Equal("env-event-retry", (string?)(await first.ReceiveAsync())["envelope_id"]);

        // A button: the same interactive handler as HTTP.
        var button = JsonNode.Parse(SlackPayloads.Fixture("socket_mode_envelope_interactive_block_actions.json"))!.AsObject();
        button["envelope_id"] = "env-button";
        await first.SendAsync(button.ToJsonString());
        Assert.Equal("env-button", (string?)(await first.ReceiveAsync())["envelope_id"]);

        // A bad modal value: the acknowledgement carries response_action errors, exactly as over HTTP.
        var submission = JsonNode.Parse(SlackPayloads.Fixture("view_submission_payload.json"))!.AsObject();
        submission["view"]!["callback_id"] = "kpibot_log";
        submission["view"]!["state"] = JsonNode.Parse("""{"values":{"booked":{"value":{"type":"number_input","value":"lots"}}}}""");
        await first.SendAsync(new JsonObject { ["envelope_id"] = "env-view", ["type"] = "interactive", ["accepts_response_payload"] = true, ["payload"] = submission }.ToJsonString());
        var viewAck = await first.ReceiveAsync();
        Assert.Equal("env-view", (string?)viewAck["envelope_id"]);
        Assert.Equal("errors", (string?)viewAck["payload"]!["response_action"]);
        Assert.Contains("'lots' is not a whole number", (string?)viewAck["payload"]!["errors"]!["booked"], StringComparison.Ordinal);

        await host.IdleAsync();
        Assert.Equal(new[] { "hey", "log booked 2 held 1", "underlying" }, host.Bot.Messages.Select(m => m.Text).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(2, host.Store.Entries.Count);
        Assert.Equal("Bearer xapp-1-test", host.Slack.CallsTo("apps.connections.open")[0].Authorization);
        Assert.Equal(2, host.Slack.CallsTo("response_url").Count); // the command's card and the button's answer
        Assert.Single(host.Slack.CallsTo("chat.postEphemeral")); // the mention's private answer

        // Slack asks to reconnect: KpiBot opens a fresh URL and a new socket.
        await first.SendAsync("""{"type":"disconnect","reason":"refresh_requested","debug_info":{"host":"applink-1"}}""");
        var second = await server.NextSessionAsync();
        first.Closed.TrySetResult();
        await second.SendAsync(SlackPayloads.Fixture("socket_mode_hello.json"));
        Assert.Equal(2, host.Slack.CallsTo("apps.connections.open").Count);

        // The socket drops without a word: KpiBot reconnects after a backoff.
        await second.DropAsync();
        var third = await server.NextSessionAsync();
        Assert.Equal(3, host.Slack.CallsTo("apps.connections.open").Count);
        var service = host.Services.GetRequiredService<SlackSocketModeService>();
        for (var i = 0; i < 1200 && service.Connections < 3; i++)
        {
            await Task.Delay(50); // the client counts a connection once its handshake completes
        }
        Assert.Equal(3, service.Connections);
        third.Closed.TrySetResult();
    }
}
