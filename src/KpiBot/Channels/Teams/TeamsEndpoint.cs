using System.Net;
using System.Text.Json;
using KpiBot.Channels.Teams.Auth;
using KpiBot.Channels.Teams.Schema;
using Microsoft.Extensions.Options;

namespace KpiBot.Channels.Teams;

/// <summary>
/// <c>POST /api/messages</c>, in this order: authenticate the bearer token (before the body is even
/// read), read the raw body within a size limit, parse it, check the token against the activity
/// (endorsed channel, serviceUrl), then hand the activity to <see cref="TeamsActivityHandler"/>.
/// Any authentication failure answers 401 with an empty body; nothing is stored or sent.
/// </summary>
public sealed class TeamsEndpoint
{
    private readonly TeamsOptions _options;
    private readonly BotFrameworkTokenValidator _validator;
    private readonly TeamsActivityHandler _handler;
    private readonly IHostEnvironment _environment;
    private readonly ILogger<TeamsEndpoint> _logger;

    /// <summary>Creates the endpoint.</summary>
    public TeamsEndpoint(IOptions<TeamsOptions> options, BotFrameworkTokenValidator validator, TeamsActivityHandler handler, IHostEnvironment environment, ILogger<TeamsEndpoint> logger)
    {
        _options = options.Value;
        _validator = validator;
        _handler = handler;
        _environment = environment;
        _logger = logger;
    }

    /// <summary>Handles one request.</summary>
    public async Task<IResult> HandleAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        VerifiedToken token;
        if (_options.IsConfigured)
        {
            var validation = await _validator.ValidateAsync(context.Request.Headers.Authorization.ToString(), cancellationToken).ConfigureAwait(false);
            if (validation.Token is null)
            {
                _logger.LogWarning("Teams: request refused (401): {Reason}", validation.Failure);
                return Results.Unauthorized();
            }

            token = validation.Token;
        }
        else if (_environment.IsDevelopment())
        {
            if (!IsLoopback(context.Connection.RemoteIpAddress))
            {
                _logger.LogWarning("Teams: unauthenticated request from {Address} refused; without Teams:AppId only local Emulator traffic is accepted", context.Connection.RemoteIpAddress);
                return Results.Unauthorized();
            }

            token = VerifiedToken.LocalDevelopment;
        }
        else
        {
            return Results.Problem(
                "The Teams channel is off: Teams:AppId is not configured. Set Teams:AppId and Teams:AppPassword (see docs/teams.md).",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        var body = await ReadBodyAsync(context.Request, _options.MaxRequestBodyBytes, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return Results.Problem($"The request body is larger than {_options.MaxRequestBodyBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        Activity? activity;
        try
        {
            activity = JsonSerializer.Deserialize(body, TeamsJsonContext.Default.Activity);
        }
        catch (JsonException ex)
        {
            return Results.Problem($"The body is not a valid activity: {ex.Message}", statusCode: StatusCodes.Status400BadRequest);
        }

        if (activity is null || string.IsNullOrWhiteSpace(activity.Type))
        {
            return Results.Problem("The activity has no 'type' (expected e.g. \"message\", \"conversationUpdate\" or \"invoke\").", statusCode: StatusCodes.Status400BadRequest);
        }

        if (token.Unauthenticated)
        {
            // The Emulator listens on the developer's machine; an unauthenticated activity may only make
            // the bot talk to loopback, never carry replies to an arbitrary URL.
            if (!Uri.TryCreate(activity.ServiceUrl, UriKind.Absolute, out var serviceUri) || !serviceUri.IsLoopback)
            {
                _logger.LogWarning("Teams: unauthenticated activity with non-local serviceUrl {ServiceUrl} refused", activity.ServiceUrl);
                return Results.Unauthorized();
            }

            _logger.LogWarning("Teams: accepting UNAUTHENTICATED {Type} activity (Development, no Teams:AppId: Emulator mode)", activity.Type);
        }
        else if (InboundAuthRules.CheckActivity(token, activity.ChannelId, activity.ServiceUrl) is { } refusal)
        {
            _logger.LogWarning("Teams: request refused (401): {Reason}", refusal);
            return Results.Unauthorized();
        }

        var result = await _handler.HandleAsync(activity, cancellationToken).ConfigureAwait(false);
        return result.InvokeBody is { } invoke
            ? Results.Json(invoke, TeamsJsonContext.Default.AdaptiveCardInvokeResponse, statusCode: result.StatusCode)
            : Results.StatusCode(result.StatusCode);
    }

    /// <summary>Reads at most <paramref name="limit"/> bytes; null when the body is larger.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    // In-process test hosts have no remote address; everything else must come from this machine.
    private static bool IsLoopback(IPAddress? address) => address is null || IPAddress.IsLoopback(address);
}
