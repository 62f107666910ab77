using System.Text.Json;
using KpiBot.Channels.Inbox;
using KpiBot.Channels.Teams.Schema;

namespace KpiBot.Channels.Teams;

/// <summary>Runs an accepted Teams message from the durable inbox through the bot and replies.</summary>
public sealed class TeamsMessageWork(TeamsActivityHandler handler) : IInboxHandler
{
    /// <summary>The inbox kind of Teams messages.</summary>
    public const string Kind = "teams.message";

    /// <inheritdoc />
    public Task HandleAsync(string payload, CancellationToken cancellationToken)
    {
        var accepted = JsonSerializer.Deserialize(payload, TeamsJsonContext.Default.TeamsAcceptedMessage)
            ?? throw new JsonException("An empty Teams inbox item.");
        return handler.ProcessAcceptedMessageAsync(accepted, cancellationToken);
    }
}
