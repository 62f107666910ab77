using KpiBot.Conversation;
using KpiBot.Replies;
using KpiBot.Tests.Rendering;

namespace KpiBot.BrowserTests;

/// <summary>
/// Stand-in for the conversation engine in builds that don't register one: answers a few commands with the
/// sample replies. Never used when the real <see cref="IBot"/> is present (see <see cref="KpiBotServer"/>).
/// </summary>
public sealed class ScriptedBot : IBot
{
    /// <inheritdoc />
    public Task<BotResponse> HandleAsync(IncomingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Form is { } form)
        {
            var logged = string.Join(", ", form.Values.Select(v => $"{v.Key} {v.Value}"));
            return Task.FromResult(BotResponse.Of(new Reply("Logged " + logged, [new Paragraph("Logged " + logged + ".", Tone.Good), new Actions([new ReplyAction("Undo", "undo")])])));
        }

        var text = message.Text.ToLowerInvariant();
        var reply = text switch
        {
            _ when text.StartsWith("log", StringComparison.Ordinal) && text.Length > 4 => SampleReplies.Logged,
            _ when text.Contains("trend", StringComparison.Ordinal) => SampleReplies.Trend,
            _ when text.Contains("funnel", StringComparison.Ordinal) => SampleReplies.Funnel,
            _ when text.Contains("team", StringComparison.Ordinal) => SampleReplies.Team,
            _ when text.Contains("forecast", StringComparison.Ordinal) => SampleReplies.Forecast,
            _ when text is "log" or "help" => SampleReplies.LogForm,
            _ => SampleReplies.Error,
        };
        return Task.FromResult(BotResponse.Of(reply));
    }
}
