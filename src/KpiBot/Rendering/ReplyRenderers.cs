using System.Text.Json.Nodes;
using KpiBot.Replies;

namespace KpiBot.Rendering;

/// <summary>Options for rendering an Adaptive Card.</summary>
/// <param name="NativeCharts">
/// True for Teams: charts become Teams' <c>Chart.*</c> elements with a PNG <c>fallback</c>. False where only
/// the Adaptive Cards 1.5 schema is understood (the local page's JavaScript renderer): charts are PNG images.
/// </param>
public sealed record AdaptiveCardOptions(bool NativeCharts);

/// <summary>Turns a neutral reply into an Adaptive Card 1.5 (the attachment content for Teams).</summary>
public interface IAdaptiveCardRenderer
{
    /// <summary>The card as JSON, ready to be the <c>content</c> of an <c>application/vnd.microsoft.card.adaptive</c> attachment.</summary>
    JsonObject Render(Reply reply, AdaptiveCardOptions options);
}

/// <summary>A Slack message body: the notification fallback text plus Block Kit blocks.</summary>
public sealed record SlackMessage(string Text, JsonArray Blocks);

/// <summary>Turns a neutral reply into Slack Block Kit within Slack's limits.</summary>
public interface IBlockKitRenderer
{
    /// <summary>The message (≤ 50 blocks, section text ≤ 3,000 characters, header ≤ 150, text fallback set).</summary>
    SlackMessage Render(Reply reply);

    /// <summary>A modal view (for <c>views.open</c>) presenting <paramref name="form"/>; <paramref name="callbackId"/> comes back in view_submission.</summary>
    JsonObject RenderModal(Form form, string callbackId, string? privateMetadata);
}

/// <summary>Turns a neutral reply into an HTML fragment for the local chat page (all text escaped).</summary>
public interface IHtmlRenderer
{
    /// <summary>A self-contained HTML fragment.</summary>
    string Render(Reply reply);
}

/// <summary>Turns a neutral reply into plain text (command line, notification fallbacks, logs).</summary>
public interface ITextRenderer
{
    /// <summary>Readable plain text.</summary>
    string Render(Reply reply);
}
