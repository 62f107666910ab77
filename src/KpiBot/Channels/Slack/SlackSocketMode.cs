using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace KpiBot.Channels.Slack;

/// <summary>
/// Socket Mode (https://api.slack.com/apis/connections/socket): with <c>Slack:AppToken</c> set, KpiBot
/// asks apps.connections.open for a WebSocket URL, connects out, and receives the same events,
/// interactions and slash commands as over HTTP — so a team can run it without a public URL. Each
/// envelope is acknowledged (with a response payload where Slack accepts one) by the same
/// <see cref="SlackInbound"/> handlers. On <c>disconnect</c> or a dropped socket it reconnects with a
/// fresh URL, backing off after failures.
/// </summary>
public sealed class SlackSocketModeService(
    IOptions<SlackOptions> options,
    SlackWebApi api,
    IServiceScopeFactory scopes,
    TimeProvider clock,
    ILogger<SlackSocketModeService> logger) : BackgroundService
{
    /// <summary>First wait after a failed connection; doubles up to <see cref="MaxBackoff"/>.</summary>
    public static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between connection attempts.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);

    private int _connections;

    /// <summary>How many times a socket was opened (tests watch reconnects with it).</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.SocketModeEnabled)
        {
            return;
        }
        var backoff = FirstBackoff;
        while (!stoppingToken.IsCancellationRequested)
        {
            bool healthy;
            try
            {
                healthy = await RunOneConnectionAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is WebSocketException or HttpRequestException or IOException or JsonException)
            {
                logger.LogWarning(ex, "Slack Socket Mode connection dropped");
                healthy = false;
            }
            if (healthy)
            {
                backoff = FirstBackoff;
                continue;
            }
            logger.LogInformation("Slack Socket Mode reconnecting in {Seconds} s", backoff.TotalSeconds);
            try
            {
                await Task.Delay(backoff, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
    }

    /// <summary>One connection from apps.connections.open to close. True when it ended by a <c>disconnect</c> after a <c>hello</c> (reconnect at once).</summary>
    private async Task<bool> RunOneConnectionAsync(CancellationToken stoppingToken)
    {
        var opened = await api.OpenSocketConnectionAsync(stoppingToken);
        if (!opened.Ok || opened.Response!.Url is not { Length: > 0 } url)
        {
            logger.LogError("Slack apps.connections.open failed: {Error}. Check Slack:AppToken (an xapp- token with connections:write) and that Socket Mode is enabled for the app.", opened.Error);
            if (opened.RetryAfter is { } wait)
            {
                await Task.Delay(wait, clock, stoppingToken);
            }
            return false;
        }

        using var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(30);
        await socket.ConnectAsync(new Uri(url), stoppingToken);
        Interlocked.Increment(ref _connections);
        using var sendGate = new SemaphoreSlim(1, 1);
        var inFlight = new List<Task>();
        try
        {
            return await ReceiveLoopAsync(socket, sendGate, inFlight, stoppingToken);
        }
        finally
        {
            // Let acknowledgements under way finish (or fail on the closed socket) before the gate is disposed.
            await Task.WhenAll(inFlight);
        }
    }

    private async Task<bool> ReceiveLoopAsync(ClientWebSocket socket, SemaphoreSlim sendGate, List<Task> inFlight, CancellationToken stoppingToken)
    {
        var sawHello = false;
        while (socket.State == WebSocketState.Open && !stoppingToken.IsCancellationRequested)
        {
            var text = await ReceiveTextAsync(socket, stoppingToken);
            if (text is null)
            {
                logger.LogWarning("Slack closed the Socket Mode connection ({Status} {Description})", socket.CloseStatus, socket.CloseStatusDescription);
                return sawHello;
            }
            SlackSocketFrame? frame;
            try
            {
                frame = JsonSerializer.Deserialize(text, SlackJson.Default.SlackSocketFrame);
            }
            catch (JsonException ex)
            {
                logger.LogWarning(ex, "Ignored a Socket Mode frame that is not JSON");
                continue;
            }
            switch (frame?.Type)
            {
                case "hello":
                    sawHello = true;
                    logger.LogInformation("Slack Socket Mode connected");
                    break;
                case "disconnect":
                    logger.LogInformation("Slack asked to reconnect ({Reason})", frame.Reason);
                    await CloseQuietlyAsync(socket);
                    return true;
                case "events_api" or "interactive" or "slash_commands" when frame.EnvelopeId is { Length: > 0 } envelopeId:
                    // Each envelope is handled on its own, so one that waits on Slack (views.open for /kpi alone)
                    // never delays the acknowledgement of the next one past Slack's three seconds.
                    inFlight.Add(AcknowledgeAsync(socket, sendGate, frame, envelopeId, stoppingToken));
                    inFlight.RemoveAll(t => t.IsCompleted);
                    break;
                default:
                    logger.LogDebug("Ignored Socket Mode frame {Type}", frame?.Type);
                    break;
            }
        }
        return sawHello;
    }

    private async Task AcknowledgeAsync(ClientWebSocket socket, SemaphoreSlim sendGate, SlackSocketFrame frame, string envelopeId, CancellationToken stoppingToken)
    {
        try
        {
            var payload = await HandleEnvelopeAsync(frame, stoppingToken);
            var ack = new SlackSocketAck(envelopeId, frame.AcceptsResponsePayload == true ? payload : null);
            await SendAsync(socket, sendGate, JsonSerializer.SerializeToUtf8Bytes(ack, SlackJson.Default.SlackSocketAck), stoppingToken);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The socket went away mid-envelope: Slack re-delivers an unacknowledged envelope on the next connection.
            logger.LogInformation("Socket Mode envelope {EnvelopeId} not acknowledged: connection closed", envelopeId);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogError(ex, "Socket Mode envelope {EnvelopeId} ({Type}) failed", envelopeId, frame.Type);
        }
    }

    private async Task<JsonObject?> HandleEnvelopeAsync(SlackSocketFrame frame, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var inbound = scope.ServiceProvider.GetRequiredService<SlackInbound>();
        if (frame.Payload is not { ValueKind: JsonValueKind.Object } payload)
        {
            logger.LogWarning("Socket Mode envelope {EnvelopeId} has no payload object", frame.EnvelopeId);
            return null;
        }
        SlackAck ack;
        try
        {
            ack = frame.Type switch
            {
                "slash_commands" => await HandleCommandAsync(inbound, payload, cancellationToken),
                "events_api" => payload.Deserialize(SlackJson.Default.SlackEventEnvelope) is { } envelope
                    ? inbound.HandleEvent(envelope, frame.RetryAttempt ?? 0)
                    : SlackAck.Bad("empty events_api payload"),
                _ => payload.Deserialize(SlackJson.Default.SlackInteraction) is { } interaction
                    ? await inbound.HandleInteractionAsync(interaction, cancellationToken)
                    : SlackAck.Bad("empty interactive payload"),
            };
        }
        catch (JsonException ex)
        {
            ack = SlackAck.Bad(ex.Message);
        }
        if (ack.Malformed is not null)
        {
            // Still acknowledged: a retry of the same broken payload would fail the same way.
            logger.LogWarning("Socket Mode envelope {EnvelopeId} ({Type}) was malformed: {Reason}", frame.EnvelopeId, frame.Type, ack.Malformed);
        }
        return ack.Body;
    }

    private static Task<SlackAck> HandleCommandAsync(SlackInbound inbound, JsonElement payload, CancellationToken cancellationToken)
    {
        var command = SlackSlashCommand.FromFields(
            name => payload.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null,
            out var problem);
        return command is null ? Task.FromResult(SlackAck.Bad(problem!)) : inbound.HandleCommandAsync(command, cancellationToken);
    }

    private static async Task<string?> ReceiveTextAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            using var message = new MemoryStream();
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await CloseQuietlyAsync(socket);
                    return null;
                }
                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    return result.MessageType == WebSocketMessageType.Text ? Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length) : "";
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task SendAsync(ClientWebSocket socket, SemaphoreSlim gate, byte[] bytes, CancellationToken cancellationToken)
    {
        // A WebSocket allows one send at a time.
        await gate.WaitAsync(cancellationToken);
        try
        {
            await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    private static async Task CloseQuietlyAsync(ClientWebSocket socket)
    {
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "reconnecting", timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // Already gone; nothing to tidy.
        }
    }
}
