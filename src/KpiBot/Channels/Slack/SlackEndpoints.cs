using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace KpiBot.Channels.Slack;

/// <summary>
/// The HTTP transport: <c>POST /api/slack/commands|events|interactions</c>. Each endpoint sits behind
/// <see cref="SlackRequestVerification"/>, decodes the verified bytes into a wire record and hands it to
/// <see cref="SlackInbound"/>; a body that verifies but cannot be decoded gets 400.
/// </summary>
public static class SlackEndpoints
{
    /// <summary>Maps the three endpoints under <c>/api/slack</c>.</summary>
    public static RouteGroupBuilder MapSlackEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/slack").AddEndpointFilter<SlackRequestVerification>().DisableAntiforgery();
        group.MapPost("/commands", HandleCommandAsync).WithName("SlackCommands");
        group.MapPost("/events", HandleEvent).WithName("SlackEvents");
        group.MapPost("/interactions", HandleInteractionAsync).WithName("SlackInteractions");
        return group;
    }

    private static async Task<IResult> HandleCommandAsync(HttpContext http, SlackInbound inbound)
    {
        var verified = SlackRequestVerification.Get(http);
        if (!TryParseForm(verified.Body, out var fields))
        {
            return Malformed("the body is not application/x-www-form-urlencoded");
        }
        var command = SlackSlashCommand.FromFields(name => fields.TryGetValue(name, out var v) ? v.ToString() : null, out var problem);
        if (command is null)
        {
            return Malformed(problem!);
        }
        return ToResult(http, await inbound.HandleCommandAsync(command, http.RequestAborted));
    }

    private static IResult HandleEvent(HttpContext http, SlackInbound inbound)
    {
        var verified = SlackRequestVerification.Get(http);
        SlackEventEnvelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize(verified.Body, SlackJson.Default.SlackEventEnvelope);
        }
        catch (JsonException ex)
        {
            return Malformed($"the body is not JSON ({ex.Message})");
        }
        return envelope is null ? Malformed("the body is JSON null") : ToResult(http, inbound.HandleEvent(envelope, verified.RetryNumber));
    }

    private static async Task<IResult> HandleInteractionAsync(HttpContext http, SlackInbound inbound)
    {
        var verified = SlackRequestVerification.Get(http);
        if (!TryParseForm(verified.Body, out var fields) || !fields.TryGetValue("payload", out var payload) || string.IsNullOrEmpty(payload))
        {
            return Malformed("interactions arrive as a form with one 'payload' field holding JSON");
        }
        SlackInteraction? interaction;
        try
        {
            interaction = JsonSerializer.Deserialize(payload.ToString(), SlackJson.Default.SlackInteraction);
        }
        catch (JsonException ex)
        {
            return Malformed($"the 'payload' field is not JSON ({ex.Message})");
        }
        return interaction is null ? Malformed("the 'payload' field is JSON null") : ToResult(http, await inbound.HandleInteractionAsync(interaction, http.RequestAborted));
    }

    private static bool TryParseForm(byte[] body, out Dictionary<string, Microsoft.Extensions.Primitives.StringValues> fields)
    {
        fields = [];
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
        if (text.Length == 0 || text.TrimStart().StartsWith('{'))
        {
            return false;
        }
        fields = QueryHelpers.ParseQuery(text);
        return fields.Count > 0;
    }

    private static IResult Malformed(string reason) =>
        Results.Problem(title: "Malformed Slack request", detail: reason, statusCode: StatusCodes.Status400BadRequest);

    private static IResult ToResult(HttpContext http, SlackAck ack)
    {
        if (ack.Malformed is not null)
        {
            return Malformed(ack.Malformed);
        }
        if (ack.RetryLater)
        {
            return Results.Problem(title: "KpiBot is busy", detail: "The work queue is full; Slack retries this delivery later.", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        return ack.Body is null ? Results.Ok() : Results.Text(ack.Body.ToJsonString(), "application/json; charset=utf-8");
    }
}
