using System.Text.Json.Serialization;

namespace KpiBot.Rendering.BlockKit;

// A typed subset of Slack Block Kit (https://api.slack.com/reference/block-kit/blocks): the blocks and
// elements KpiBot sends, serialized snake_case with "type" as discriminator and nulls omitted.

/// <summary>A text object: <c>plain_text</c> or <c>mrkdwn</c> (https://api.slack.com/reference/block-kit/composition-objects#text).</summary>
/// <param name="Type"><c>plain_text</c> or <c>mrkdwn</c>.</param>
/// <param name="Text">The text (mrkdwn already escaped).</param>
public sealed record SlackText(string Type, string Text)
{
    /// <summary>Plain text (headers, buttons, labels).</summary>
    public static SlackText Plain(string text) => new("plain_text", text);

    /// <summary>Slack's markdown flavour; <paramref name="text"/> must already be escaped.</summary>
    public static SlackText Markdown(string text) => new("mrkdwn", text);
}

/// <summary>A layout block. The JSON <c>type</c> is the discriminator.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(SlackHeaderBlock), "header")]
[JsonDerivedType(typeof(SlackSectionBlock), "section")]
[JsonDerivedType(typeof(SlackContextBlock), "context")]
[JsonDerivedType(typeof(SlackDividerBlock), "divider")]
[JsonDerivedType(typeof(SlackImageBlock), "image")]
[JsonDerivedType(typeof(SlackActionsBlock), "actions")]
[JsonDerivedType(typeof(SlackInputBlock), "input")]
public abstract record SlackBlock
{
    /// <summary>Block id (≤ 255 characters); input blocks use it as the key of <c>state.values</c>.</summary>
    public string? BlockId { get; init; }
}

/// <summary>A large bold title, plain text ≤ 150 characters.</summary>
/// <param name="Text">The title.</param>
public sealed record SlackHeaderBlock(SlackText Text) : SlackBlock;

/// <summary>Text (≤ 3,000 characters) and/or up to 10 two-column fields (≤ 2,000 each).</summary>
public sealed record SlackSectionBlock : SlackBlock
{
    /// <summary>The main text.</summary>
    public SlackText? Text { get; init; }

    /// <summary>Fields shown in two columns.</summary>
    public IReadOnlyList<SlackText>? Fields { get; init; }
}

/// <summary>Small grey text (≤ 10 elements).</summary>
/// <param name="Elements">Text elements.</param>
public sealed record SlackContextBlock(IReadOnlyList<SlackText> Elements) : SlackBlock;

/// <summary>A horizontal rule.</summary>
public sealed record SlackDividerBlock : SlackBlock;

/// <summary>An image fetched by Slack from a public URL.</summary>
/// <param name="ImageUrl">Publicly reachable URL (≤ 3,000 characters).</param>
/// <param name="AltText">Description (≤ 2,000 characters).</param>
public sealed record SlackImageBlock(string ImageUrl, string AltText) : SlackBlock
{
    /// <summary>Optional title above the image (plain text ≤ 2,000).</summary>
    public SlackText? Title { get; init; }
}

/// <summary>A row of interactive elements (≤ 25).</summary>
/// <param name="Elements">Buttons.</param>
public sealed record SlackActionsBlock(IReadOnlyList<SlackButton> Elements) : SlackBlock;

/// <summary>A button; a click sends a <c>block_actions</c> payload with <see cref="ActionId"/> and <see cref="Value"/>.</summary>
/// <param name="Text">Label (plain text ≤ 75).</param>
/// <param name="ActionId">Identifies the action (≤ 255), unique in the message.</param>
/// <param name="Value">Sent back on click (≤ 2,000).</param>
public sealed record SlackButton(SlackText Text, string ActionId, string Value)
{
    /// <summary>Always <c>button</c>.</summary>
    [JsonPropertyOrder(-1)]
    public string Type => "button";

    /// <summary><c>primary</c> (green) or <c>danger</c>; null for the default look.</summary>
    public string? Style { get; init; }
}

/// <summary>An input block of a modal.</summary>
/// <param name="Label">Label (plain text ≤ 2,000).</param>
/// <param name="Element">The input element.</param>
public sealed record SlackInputBlock(SlackText Label, SlackInputElement Element) : SlackBlock
{
    /// <summary>True when the field may be left empty.</summary>
    public bool? Optional { get; init; }

    /// <summary>Help text under the input.</summary>
    public SlackText? Hint { get; init; }
}

/// <summary>An input element. The JSON <c>type</c> is the discriminator.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(SlackNumberInput), "number_input")]
[JsonDerivedType(typeof(SlackPlainTextInput), "plain_text_input")]
[JsonDerivedType(typeof(SlackDatePicker), "datepicker")]
public abstract record SlackInputElement(string ActionId)
{
    /// <summary>Hint shown while empty (plain text ≤ 150).</summary>
    public SlackText? Placeholder { get; init; }
}

/// <summary>A number input; Slack validates the bounds before the submission reaches the bot.</summary>
/// <param name="ActionId">Key inside the block's state.</param>
/// <param name="IsDecimalAllowed">False for counts.</param>
public sealed record SlackNumberInput(string ActionId, bool IsDecimalAllowed) : SlackInputElement(ActionId)
{
    /// <summary>Smallest value, as a string (Slack's format).</summary>
    public string? MinValue { get; init; }

    /// <summary>Largest value, as a string.</summary>
    public string? MaxValue { get; init; }

    /// <summary>Initial value, as a string.</summary>
    public string? InitialValue { get; init; }
}

/// <summary>A text input.</summary>
/// <param name="ActionId">Key inside the block's state.</param>
public sealed record SlackPlainTextInput(string ActionId) : SlackInputElement(ActionId)
{
    /// <summary>Initial value.</summary>
    public string? InitialValue { get; init; }
}

/// <summary>A date picker (<c>yyyy-MM-dd</c>).</summary>
/// <param name="ActionId">Key inside the block's state.</param>
public sealed record SlackDatePicker(string ActionId) : SlackInputElement(ActionId)
{
    /// <summary>Initial date, <c>yyyy-MM-dd</c>.</summary>
    public string? InitialDate { get; init; }
}

/// <summary>A modal view for <c>views.open</c> (https://api.slack.com/reference/surfaces/views).</summary>
/// <param name="Title">Title (plain text ≤ 24).</param>
/// <param name="Blocks">Blocks (≤ 100).</param>
public sealed record SlackModalView(SlackText Title, IReadOnlyList<SlackBlock> Blocks)
{
    /// <summary>Always <c>modal</c>.</summary>
    [JsonPropertyOrder(-1)]
    public string Type => "modal";

    /// <summary>Comes back in <c>view_submission</c> to say which form this is (≤ 255).</summary>
    public string? CallbackId { get; init; }

    /// <summary>Opaque state returned with the submission (≤ 3,000).</summary>
    public string? PrivateMetadata { get; init; }

    /// <summary>Submit button label (plain text ≤ 24).</summary>
    public SlackText? Submit { get; init; }

    /// <summary>Close button label (plain text ≤ 24).</summary>
    public SlackText? Close { get; init; }
}

/// <summary>Source-generated serializer for the Block Kit model.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IReadOnlyList<SlackBlock>))]
[JsonSerializable(typeof(SlackModalView))]
public sealed partial class BlockKitJsonContext : JsonSerializerContext;
