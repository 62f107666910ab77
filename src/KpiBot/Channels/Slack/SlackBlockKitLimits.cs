using System.Text.Json.Nodes;
using KpiBot.Rendering;

namespace KpiBot.Channels.Slack;

/// <summary>
/// Slack's Block Kit limits (https://api.slack.com/reference/block-kit/blocks), checked on every message
/// KpiBot sends. The renderer is meant to stay inside them; this is the last guard, because Slack refuses a
/// whole message (<c>invalid_blocks</c>) for one field that is too long, and the user would get nothing.
/// </summary>
public static class SlackBlockKitLimits
{
    /// <summary>Blocks in a message.</summary>
    public const int MaxMessageBlocks = 50;
    /// <summary>Blocks in a modal or the App Home.</summary>
    public const int MaxViewBlocks = 100;
    /// <summary>Characters of a section's text.</summary>
    public const int MaxSectionText = 3000;
    /// <summary>Fields of a section.</summary>
    public const int MaxSectionFields = 10;
    /// <summary>Characters of one section field.</summary>
    public const int MaxFieldText = 2000;
    /// <summary>Characters of a header.</summary>
    public const int MaxHeaderText = 150;
    /// <summary>Elements of an actions block.</summary>
    public const int MaxActionsElements = 25;
    /// <summary>Elements of a context block.</summary>
    public const int MaxContextElements = 10;
    /// <summary>Characters of a button's label.</summary>
    public const int MaxButtonText = 75;
    /// <summary>Characters of a button's value.</summary>
    public const int MaxButtonValue = 2000;
    /// <summary>Characters of an image URL.</summary>
    public const int MaxImageUrl = 3000;
    /// <summary>Characters of an image's alt text.</summary>
    public const int MaxAltText = 2000;
    /// <summary>Characters of a block_id or action_id.</summary>
    public const int MaxId = 255;
    /// <summary>Slack truncates the top-level text past this.</summary>
    public const int MaxMessageText = 40000;

    /// <summary>Every limit the blocks break (empty when the message is fine).</summary>
    public static IReadOnlyList<string> Violations(string text, JsonArray blocks, int maxBlocks = MaxMessageBlocks)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(text))
        {
            problems.Add("top-level text (notification fallback) is empty");
        }
        else if (text.Length > MaxMessageText)
        {
            problems.Add($"top-level text has {text.Length} chars (max {MaxMessageText})");
        }
        if (blocks.Count > maxBlocks)
        {
            problems.Add($"{blocks.Count} blocks (max {maxBlocks})");
        }
        for (var i = 0; i < blocks.Count; i++)
        {
            if (blocks[i] is not JsonObject block)
            {
                problems.Add($"block {i} is not an object");
                continue;
            }
            CheckBlock(block, i, problems);
        }
        return problems;
    }

    /// <summary>
    /// The message cut to fit: extra blocks dropped (with a note saying so), long texts shortened with an
    /// ellipsis. A message already inside the limits comes back unchanged.
    /// </summary>
    public static SlackMessage Fit(SlackMessage message, int maxBlocks = MaxMessageBlocks)
    {
        var text = string.IsNullOrWhiteSpace(message.Text) ? "KpiBot" : Shorten(message.Text, MaxMessageText);
        if (Violations(text, message.Blocks, maxBlocks).Count == 0)
        {
            return message with { Text = text };
        }
        var blocks = new JsonArray();
        var kept = message.Blocks.OfType<JsonObject>().Select(b => (JsonObject)b.DeepClone()).ToList();
        var dropped = Math.Max(0, kept.Count - maxBlocks);
        if (dropped > 0)
        {
            kept = kept.Take(maxBlocks - 1).ToList();
        }
        foreach (var block in kept)
        {
            FitBlock(block);
            blocks.Add(block);
        }
        if (dropped > 0)
        {
            blocks.Add(new JsonObject
            {
                ["type"] = "context",
                ["elements"] = new JsonArray(new JsonObject { ["type"] = "mrkdwn", ["text"] = $"…{dropped + 1} more parts did not fit in one Slack message; ask for a narrower view (one person, fewer weeks)." }),
            });
        }
        return new SlackMessage(text, blocks);
    }

    private static void CheckBlock(JsonObject block, int index, List<string> problems)
    {
        var type = (string?)block["type"];
        CheckId(block, "block_id", index, problems);
        switch (type)
        {
            case "header":
                CheckText(block["text"], MaxHeaderText, $"block {index} header text", problems);
                break;
            case "section":
                CheckText(block["text"], MaxSectionText, $"block {index} section text", problems);
                if (block["fields"] is JsonArray fields)
                {
                    if (fields.Count > MaxSectionFields)
                    {
                        problems.Add($"block {index} has {fields.Count} fields (max {MaxSectionFields})");
                    }
                    foreach (var field in fields)
                    {
                        CheckText(field, MaxFieldText, $"block {index} field", problems);
                    }
                }
                if (block["text"] is null && block["fields"] is null)
                {
                    problems.Add($"block {index} section has neither text nor fields");
                }
                if (block["accessory"] is JsonObject accessory)
                {
                    CheckElement(accessory, index, problems);
                }
                break;
            case "actions":
                var elements = block["elements"] as JsonArray ?? [];
                if (elements.Count is 0 or > MaxActionsElements)
                {
                    problems.Add($"block {index} actions has {elements.Count} elements (1–{MaxActionsElements})");
                }
                foreach (var element in elements.OfType<JsonObject>())
                {
                    CheckElement(element, index, problems);
                }
                break;
            case "context":
                var items = block["elements"] as JsonArray ?? [];
                if (items.Count is 0 or > MaxContextElements)
                {
                    problems.Add($"block {index} context has {items.Count} elements (1–{MaxContextElements})");
                }
                foreach (var item in items.OfType<JsonObject>())
                {
                    if ((string?)item["type"] == "image")
                    {
                        CheckImage(item, index, problems);
                    }
                    else
                    {
                        CheckText(item, MaxSectionText, $"block {index} context text", problems);
                    }
                }
                break;
            case "image":
                CheckImage(block, index, problems);
                break;
            case "divider" or "input" or "rich_text":
                break;
            default:
                problems.Add($"block {index} has unknown type '{type}'");
                break;
        }
    }

    private static void CheckElement(JsonObject element, int index, List<string> problems)
    {
        CheckId(element, "action_id", index, problems);
        if ((string?)element["type"] == "button")
        {
            CheckText(element["text"], MaxButtonText, $"block {index} button label", problems);
            if (((string?)element["value"])?.Length > MaxButtonValue)
            {
                problems.Add($"block {index} button value is over {MaxButtonValue} chars");
            }
        }
    }

    private static void CheckImage(JsonObject image, int index, List<string> problems)
    {
        var url = (string?)image["image_url"];
        if (image["slack_file"] is null)
        {
            if (string.IsNullOrEmpty(url) || url.Length > MaxImageUrl || !Uri.TryCreate(url, UriKind.Absolute, out _))
            {
                problems.Add($"block {index} image_url is missing, not absolute or over {MaxImageUrl} chars");
            }
        }
        var alt = (string?)image["alt_text"];
        if (string.IsNullOrEmpty(alt) || alt.Length > MaxAltText)
        {
            problems.Add($"block {index} image alt_text is missing or over {MaxAltText} chars");
        }
    }

    private static void CheckText(JsonNode? node, int max, string what, List<string> problems)
    {
        var text = node is JsonObject o ? (string?)o["text"] : null;
        if (node is null)
        {
            return;
        }
        if (string.IsNullOrEmpty(text))
        {
            problems.Add($"{what} is empty");
        }
        else if (text.Length > max)
        {
            problems.Add($"{what} has {text.Length} chars (max {max})");
        }
    }

    private static void CheckId(JsonObject node, string property, int index, List<string> problems)
    {
        if (((string?)node[property])?.Length > MaxId)
        {
            problems.Add($"block {index} {property} is over {MaxId} chars");
        }
    }

    private static void FitBlock(JsonObject block)
    {
        switch ((string?)block["type"])
        {
            case "header":
                FitText(block["text"], MaxHeaderText);
                break;
            case "section":
                FitText(block["text"], MaxSectionText);
                if (block["fields"] is JsonArray fields)
                {
                    while (fields.Count > MaxSectionFields)
                    {
                        fields.RemoveAt(fields.Count - 1);
                    }
                    foreach (var field in fields)
                    {
                        FitText(field, MaxFieldText);
                    }
                }
                break;
            case "actions":
                if (block["elements"] is JsonArray elements)
                {
                    while (elements.Count > MaxActionsElements)
                    {
                        elements.RemoveAt(elements.Count - 1);
                    }
                    foreach (var element in elements.OfType<JsonObject>().Where(e => (string?)e["type"] == "button"))
                    {
                        FitText(element["text"], MaxButtonText);
                    }
                }
                break;
            case "context":
                if (block["elements"] is JsonArray items)
                {
                    while (items.Count > MaxContextElements)
                    {
                        items.RemoveAt(items.Count - 1);
                    }
                    foreach (var item in items)
                    {
                        FitText(item, MaxSectionText);
                    }
                }
                break;
            case "image":
                if (((string?)block["alt_text"])?.Length > MaxAltText)
                {
                    block["alt_text"] = Shorten((string)block["alt_text"]!, MaxAltText);
                }
                break;
        }
    }

    private static void FitText(JsonNode? node, int max)
    {
        if (node is JsonObject o && (string?)o["text"] is { } text && text.Length > max)
        {
            o["text"] = Shorten(text, max);
        }
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");
}
