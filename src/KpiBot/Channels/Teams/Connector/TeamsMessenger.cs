using System.Net;
using KpiBot.Channels.Teams.Schema;

namespace KpiBot.Channels.Teams.Connector;

/// <summary>
/// Sends activities through the <see cref="ConnectorClient"/> and turns the Connector's answer into a
/// <see cref="SendOutcome"/>. A 403 (bot blocked, removed from the conversation, or disabled by an
/// admin — msteams-docs "status codes from bot conversational APIs") means the conversation is gone:
/// it is marked inactive so nothing retries it forever.
/// </summary>
public sealed class TeamsMessenger
{
    private readonly ConnectorClient _connector;
    private readonly IConversationDirectory _directory;
    private readonly TimeProvider _time;
    private readonly ILogger<TeamsMessenger> _logger;

    /// <summary>Creates the messenger.</summary>
    public TeamsMessenger(ConnectorClient connector, IConversationDirectory directory, TimeProvider time, ILogger<TeamsMessenger> logger)
    {
        _connector = connector;
        _directory = directory;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Posts <paramref name="activity"/>; <paramref name="directoryKey"/> is the stored conversation to mark
    /// inactive on a 403. Never throws for Connector errors.
    /// </summary>
    public async Task<SendOutcome> SendAsync(string serviceUrl, string conversationId, string? replyToId, Activity activity, string? directoryKey, CancellationToken cancellationToken)
    {
        ConnectorResult result;
        try
        {
            result = await _connector.SendAsync(serviceUrl, conversationId, replyToId, activity, cancellationToken).ConfigureAwait(false);
        }
        catch (ConnectorException ex)
        {
            _logger.LogError("Teams: cannot post to {ConversationId}: {Reason}", conversationId, ex.Message);
            return new SendOutcome(SendStatus.Failed, Error: ex.Message);
        }
        catch (HttpRequestException ex)
        {
            _logger.LogWarning("Teams: the Connector at {ServiceUrl} is unreachable: {Reason}", serviceUrl, ex.Message);
            return new SendOutcome(SendStatus.RetryLater, RetryAfter: TimeSpan.FromMinutes(1), Error: ex.Message);
        }
        catch (Exception ex) when (ex is TaskCanceledException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning("Teams: the Connector at {ServiceUrl} timed out", serviceUrl);
            return new SendOutcome(SendStatus.RetryLater, RetryAfter: TimeSpan.FromMinutes(1), Error: ex.Message);
        }

        if (result.Succeeded)
        {
            return new SendOutcome(SendStatus.Sent, result.ActivityId);
        }

        switch (result.StatusCode)
        {
            case HttpStatusCode.Forbidden:
                if (directoryKey is not null)
                {
                    _directory.MarkInactive(directoryKey, $"Teams answered 403: {result.Error}", _time.GetUtcNow());
                }

                _logger.LogWarning("Teams: conversation {ConversationId} refused the bot (403), marked inactive: {Error}", conversationId, result.Error);
                return new SendOutcome(SendStatus.ConversationGone, Error: result.Error);
            case HttpStatusCode.TooManyRequests or HttpStatusCode.PreconditionFailed or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout or HttpStatusCode.ServiceUnavailable:
                _logger.LogWarning("Teams: {Status} from the Connector after retries for {ConversationId}", (int)result.StatusCode, conversationId);
                return new SendOutcome(SendStatus.RetryLater, RetryAfter: result.RetryAfter ?? TimeSpan.FromSeconds(30), Error: result.Error);
            default:
                _logger.LogError("Teams: {Status} from the Connector for {ConversationId}: {Error}", (int)result.StatusCode, conversationId, result.Error);
                return new SendOutcome(SendStatus.Failed, Error: $"{(int)result.StatusCode}: {result.Error}");
        }
    }
}
