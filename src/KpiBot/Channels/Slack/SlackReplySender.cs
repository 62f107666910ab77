using System.Collections.Concurrent;
using KpiBot.Conversation;
using KpiBot.Rendering;
using KpiBot.Replies;

namespace KpiBot.Channels.Slack;

/// <summary>Where replies to one Slack request go.</summary>
/// <param name="ChannelId">The channel or DM the request came from (null for the App Home or a modal).</param>
/// <param name="UserId">The person who asked: private replies reach only them.</param>
/// <param name="ResponseUrl">Reply address of a slash command or a message button, when Slack gave one.</param>
/// <param name="ResponseUrlIssuedAt">When <paramref name="ResponseUrl"/> was issued (it lives 30 minutes).</param>
/// <param name="ThreadTs">Reply in this thread (a mention written in a thread).</param>
/// <param name="ReplaceAcknowledgement">True when the first reply should replace the "Working on it…" message.</param>
public sealed record SlackReplyTarget(
    string ChannelId,
    ConversationKind Kind,
    string UserId,
    string? ResponseUrl,
    DateTimeOffset ResponseUrlIssuedAt,
    string? ThreadTs = null,
    bool ReplaceAcknowledgement = false);

/// <summary>
/// Keeps within Slack's budget for a <c>response_url</c>: at most five posts within thirty minutes of the
/// command (https://api.slack.com/interactivity/handling#message_responses). Past it KpiBot falls back to
/// the Web API.
/// </summary>
public sealed class ResponseUrlBudget(TimeProvider clock)
{
    /// <summary>Posts Slack accepts per response_url.</summary>
    public const int MaxPosts = 5;

    /// <summary>How long a response_url lives.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    private readonly ConcurrentDictionary<string, int> _used = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _issued = new(StringComparer.Ordinal);

    /// <summary>Takes one post from the URL's budget; false when it is spent or expired.</summary>
    public bool TryTake(string responseUrl, DateTimeOffset issuedAt)
    {
        var now = clock.GetUtcNow();
        if (now - issuedAt >= Lifetime)
        {
            return false;
        }
        if (_used.Count > 10_000)
        {
            Prune(now);
        }
        _issued.TryAdd(responseUrl, issuedAt);
        var count = _used.AddOrUpdate(responseUrl, 1, (_, n) => n + 1);
        return count <= MaxPosts;
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (url, issued) in _issued)
        {
            if (now - issued >= Lifetime)
            {
                _issued.TryRemove(url, out _);
                _used.TryRemove(url, out _);
            }
        }
    }
}

/// <summary>
/// Turns neutral replies into Slack messages and posts them: through the <c>response_url</c> while its
/// budget lasts (no token, no channel membership needed), otherwise with chat.postMessage for replies the
/// conversation should see and chat.postEphemeral (or the DM) for private ones.
/// </summary>
public sealed class SlackReplySender(
    IBlockKitRenderer renderer,
    SlackWebApi api,
    ResponseUrlBudget budget,
    ILogger<SlackReplySender> logger)
{
    /// <summary>Sends every reply of a response in order.</summary>
    public async Task SendAsync(SlackReplyTarget target, IReadOnlyList<Reply> replies, CancellationToken cancellationToken)
    {
        var first = true;
        foreach (var reply in replies)
        {
            var message = SlackBlockKitLimits.Fit(renderer.Render(reply));
            await SendOneAsync(target, reply.Visibility, message, replaceOriginal: first && target.ReplaceAcknowledgement, cancellationToken);
            first = false;
        }
    }

    /// <summary>Sends a plain-text notice (a failure explanation) privately to the person.</summary>
    public Task SendNoticeAsync(SlackReplyTarget target, string text, CancellationToken cancellationToken) =>
        SendOneAsync(target, ReplyVisibility.Private, new SlackMessage(text, [new System.Text.Json.Nodes.JsonObject
        {
            ["type"] = "section",
            ["text"] = new System.Text.Json.Nodes.JsonObject { ["type"] = "plain_text", ["text"] = text },
        }]), replaceOriginal: target.ReplaceAcknowledgement, cancellationToken);

    /// <summary>Posts a message into the person's DM with KpiBot (opening it if needed).</summary>
    public async Task<bool> SendDirectAsync(string userId, IReadOnlyList<Reply> replies, CancellationToken cancellationToken)
    {
        var dm = await api.OpenConversationAsync(userId, cancellationToken);
        if (!dm.Ok || dm.Response!.Channel?.Id is not { } channel)
        {
            logger.LogWarning("Could not open a DM with {User}: {Error}", userId, dm.Error);
            return false;
        }
        var sent = true;
        foreach (var reply in replies)
        {
            var message = SlackBlockKitLimits.Fit(renderer.Render(reply));
            var result = await api.PostMessageAsync(new ChatPostMessageRequest(channel, message.Text, message.Blocks), cancellationToken);
            sent &= result.Ok;
        }
        return sent;
    }

    private async Task SendOneAsync(SlackReplyTarget target, ReplyVisibility visibility, SlackMessage message, bool replaceOriginal, CancellationToken cancellationToken)
    {
        if (target.ResponseUrl is { } url && budget.TryTake(url, target.ResponseUrlIssuedAt))
        {
            var posted = await api.PostToResponseUrlAsync(
                url,
                new ResponseUrlMessage(
                    message.Text,
                    message.Blocks,
                    visibility == ReplyVisibility.Conversation ? "in_channel" : "ephemeral",
                    // Always explicit: only the "Working on it…" acknowledgement is replaced, never a card whose
                    // button was clicked (its other buttons stay usable).
                    replaceOriginal),
                cancellationToken);
            if (posted.Ok)
            {
                return;
            }
        }

        if (visibility == ReplyVisibility.Private && target.Kind != ConversationKind.Personal)
        {
            var ephemeral = await api.PostEphemeralAsync(new ChatPostEphemeralRequest(target.ChannelId, target.UserId, message.Text, message.Blocks), cancellationToken);
            if (!ephemeral.Ok)
            {
                // e.g. channel_not_found in a private channel KpiBot is not in: the DM always works.
                await SendToDmAsync(target.UserId, message, cancellationToken);
            }
            return;
        }

        var result = await api.PostMessageAsync(new ChatPostMessageRequest(target.ChannelId, message.Text, message.Blocks, target.ThreadTs), cancellationToken);
        if (!result.Ok && result.Error is "not_in_channel" or "channel_not_found" or "is_archived" && target.Kind != ConversationKind.Personal)
        {
            // Surface the fix: the person gets the answer in the DM with how to let KpiBot post in the channel.
            await SendToDmAsync(target.UserId, message, cancellationToken);
            await SendToDmAsync(target.UserId, new SlackMessage(
                $"I could not post in <#{target.ChannelId}> ({result.Error}). Invite me there with /invite @KpiBot, then ask again.",
                []), cancellationToken);
        }
    }

    private async Task SendToDmAsync(string userId, SlackMessage message, CancellationToken cancellationToken)
    {
        var dm = await api.OpenConversationAsync(userId, cancellationToken);
        if (dm.Ok && dm.Response!.Channel?.Id is { } channel)
        {
            await api.PostMessageAsync(new ChatPostMessageRequest(channel, message.Text, message.Blocks.Count == 0 ? null : message.Blocks), cancellationToken);
        }
    }
}
