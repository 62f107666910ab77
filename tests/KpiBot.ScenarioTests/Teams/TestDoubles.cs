using System.Collections.Concurrent;
using KpiBot.Conversation;

namespace KpiBot.ScenarioTests.Teams;

/// <summary>
/// Wraps the real conversation engine and records what the Teams adapter handed it and how many
/// replies came back (so tests can wait for every reply to reach the fake Connector).
/// </summary>
internal sealed class RecordingBot : IBot
{
    private readonly IBot _inner;

    public RecordingBot(IBot inner) => _inner = inner;

    public ConcurrentQueue<IncomingMessage> Received { get; } = new();

    /// <summary>Each handled message with the number of replies the engine gave (recorded before they are sent).</summary>
    public ConcurrentQueue<(IncomingMessage Message, int Replies)> Handled { get; } = new();

    public async Task<BotResponse> HandleAsync(IncomingMessage message, CancellationToken cancellationToken)
    {
        Received.Enqueue(message);
        var response = await AnswerAsync(message, cancellationToken);
        Handled.Enqueue((message, response.Replies.Count));
        return response;
    }

    private Task<BotResponse> AnswerAsync(IncomingMessage message, CancellationToken cancellationToken) =>
        _inner.HandleAsync(message, cancellationToken);
}
