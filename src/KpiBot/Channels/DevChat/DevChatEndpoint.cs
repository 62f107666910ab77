using System.Globalization;
using System.Text.Json;
using KpiBot.Conversation;
using KpiBot.Domain;
using KpiBot.Rendering;

namespace KpiBot.Channels.DevChat;

/// <summary>
/// <c>POST /api/dev/chat</c>: the local chat page's adapter. It turns the JSON body into a neutral
/// <see cref="IncomingMessage"/> (platform Local, workspace <c>local:&lt;name&gt;</c>), calls the bot and returns
/// every reply rendered as text, Adaptive Card, Block Kit and HTML.
/// </summary>
public static class DevChatEndpoint
{
    /// <summary>Longest message accepted (Teams and Slack cut far shorter; this only stops accidents).</summary>
    public const int MaxTextLength = 4_000;

    private const int MaxNameLength = 128;
    private const int MaxWorkspaceLength = 64;
    private const string Example = "Send JSON such as {\"workspace\":\"demo\",\"userId\":\"anna\",\"userName\":\"Anna Berg\",\"text\":\"log booked 5 held 3\"}.";

    /// <summary>Handles one request.</summary>
    public static async Task<IResult> HandleAsync(HttpContext http, IServiceProvider services, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(time);
        DevChatRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync(http.Request.Body, DevChatJsonContext.Default.DevChatRequest, cancellationToken);
        }
        catch (JsonException ex)
        {
            return Error(StatusCodes.Status400BadRequest, $"The body is not valid JSON ({ex.Message}). {Example}");
        }
        catch (BadHttpRequestException ex)
        {
            // The client went away or sent less than it announced: nothing to answer, nothing stored.
            return Error(ex.StatusCode, "The request body ended early. " + Example);
        }

        if (request is null)
        {
            return Error(StatusCodes.Status400BadRequest, "The body is empty. " + Example);
        }

        var (message, problem) = ToMessage(request, time.GetUtcNow());
        if (message is null)
        {
            return Error(StatusCodes.Status400BadRequest, problem! + " " + Example);
        }

        // Resolved per request so the page still loads (and says why) in a host without a conversation engine.
        if (services.GetService<IBot>() is not { } bot)
        {
            return Error(StatusCodes.Status503ServiceUnavailable, "The conversation engine (IBot) is not registered in this build, so there is nobody to answer.");
        }

        var response = await bot.HandleAsync(message, cancellationToken);
        var cards = services.GetRequiredService<IAdaptiveCardRenderer>();
        var blocks = services.GetRequiredService<IBlockKitRenderer>();
        var html = services.GetRequiredService<IHtmlRenderer>();
        var text = services.GetRequiredService<ITextRenderer>();
        var replies = response.Replies.Select(reply => new DevChatReply(
            text.Render(reply),
            // The page draws cards with the Adaptive Cards JavaScript renderer, which knows no Teams charts.
            cards.Render(reply, new AdaptiveCardOptions(NativeCharts: false)),
            blocks.Render(reply).Blocks,
            html.Render(reply))).ToList();
        loggers.CreateLogger(typeof(DevChatEndpoint)).LogDebug("Local chat {Workspace}/{User}: {Count} replies", message.WorkspaceId, message.UserId, replies.Count);
        return Results.Json(new DevChatResponse(replies), DevChatJsonContext.Default.DevChatResponse);
    }

    /// <summary>Validates a request and builds the neutral message; returns the problem instead when it can't.</summary>
    public static (IncomingMessage? Message, string? Problem) ToMessage(DevChatRequest request, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(request);
        var workspace = request.Workspace?.Trim();
        if (string.IsNullOrEmpty(workspace))
        {
            return (null, "\"workspace\" is missing: give the local workspace a name such as \"demo\".");
        }

        if (workspace.Length > MaxWorkspaceLength || !workspace.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            return (null, $"\"workspace\" \"{Shorten(workspace)}\" is not usable: use up to {MaxWorkspaceLength} letters, digits, '-', '_' or '.'.");
        }

        var userId = request.UserId?.Trim();
        if (string.IsNullOrEmpty(userId) || userId.Length > MaxNameLength)
        {
            return (null, $"\"userId\" is missing or longer than {MaxNameLength} characters: send a stable id for the person, such as \"anna\".");
        }

        var userName = request.UserName?.Trim();
        if (string.IsNullOrEmpty(userName) || userName.Length > MaxNameLength)
        {
            return (null, $"\"userName\" is missing or longer than {MaxNameLength} characters: send the person's display name, such as \"Anna Berg\".");
        }

        var text = request.Text?.Trim() ?? string.Empty;
        if (text.Length > MaxTextLength)
        {
            return (null, $"\"text\" is {text.Length.ToString(CultureInfo.InvariantCulture)} characters; at most {MaxTextLength.ToString(CultureInfo.InvariantCulture)} are accepted.");
        }

        FormSubmission? form = null;
        if (request.Form is { } submitted)
        {
            if (string.IsNullOrWhiteSpace(submitted.FormId))
            {
                return (null, "\"form.formId\" is missing: send the id of the form being submitted, e.g. {\"formId\":\"log-daily\",\"values\":{\"booked\":\"5\"}}.");
            }

            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in submitted.Values ?? [])
            {
                switch (value.ValueKind)
                {
                    case JsonValueKind.String:
                        values[key] = value.GetString()!;
                        break;
                    case JsonValueKind.Number:
                        values[key] = value.GetRawText();
                        break;
                    case JsonValueKind.True or JsonValueKind.False:
                        values[key] = value.GetBoolean() ? "true" : "false";
                        break;
                    case JsonValueKind.Null or JsonValueKind.Undefined:
                        break;
                    default:
                        return (null, $"\"form.values.{Shorten(key)}\" is {value.ValueKind.ToString().ToLowerInvariant()}: send a string or a number.");
                }
            }

            form = new FormSubmission(submitted.FormId.Trim(), values);
        }
        else if (text.Length == 0)
        {
            return (null, "\"text\" is empty: type a message (e.g. \"help\") or submit a \"form\".");
        }

        var timeZone = string.IsNullOrWhiteSpace(request.TimeZone) ? null : request.TimeZone.Trim();
        if (timeZone is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out _))
        {
            return (null, $"\"timeZone\" \"{Shorten(timeZone)}\" is not a known IANA zone: use e.g. \"Europe/Stockholm\" or leave it out.");
        }

        var sourceId = string.IsNullOrWhiteSpace(request.MessageId) ? Guid.NewGuid().ToString("N") : request.MessageId.Trim();
        var message = new IncomingMessage(
            Platform.Local,
            "local:" + workspace,
            userId,
            userName,
            text,
            "local:" + sourceId,
            "local-chat:" + userId,
            ConversationKind.Personal,
            timeZone,
            form,
            receivedAt);
        return (message, null);
    }

    private static IResult Error(int status, string error) =>
        Results.Json(new DevChatError(error), DevChatJsonContext.Default.DevChatError, statusCode: status);

    private static string Shorten(string text) => ReplyFormatting.Truncate(text, 40);
}
