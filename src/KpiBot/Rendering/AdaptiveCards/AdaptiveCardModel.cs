using System.Text.Json;
using System.Text.Json.Serialization;

namespace KpiBot.Rendering.AdaptiveCards;

// A typed subset of Adaptive Cards 1.5 (https://adaptivecards.io/explorer/) plus the Teams chart elements
// (https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/charts-in-adaptive-cards).
// Only what KpiBot draws is modelled; serialized camelCase with the element's "type" as discriminator and
// nulls omitted, through AdaptiveCardJsonContext (source-generated, no reflection at run time).

/// <summary>Serializes an enum as its camelCase member name ("extraLarge", "attention").</summary>
/// <typeparam name="TEnum">The enum.</typeparam>
public sealed class CamelCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.CamelCase, allowIntegerValues: false)
    where TEnum : struct, Enum;

/// <summary>Text colours of the host's palette.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<AcColor>))]
public enum AcColor
{
    /// <summary>The host's default text colour.</summary>
    Default,
    /// <summary>Accent (links, highlights).</summary>
    Accent,
    /// <summary>Good news (green in Teams).</summary>
    Good,
    /// <summary>Warning (amber).</summary>
    Warning,
    /// <summary>Attention (red).</summary>
    Attention,
}

/// <summary>Background styles of containers, columns and table rows.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<AcContainerStyle>))]
public enum AcContainerStyle
{
    /// <summary>No background.</summary>
    Default,
    /// <summary>A subtle grey background.</summary>
    Emphasis,
    /// <summary>Green background.</summary>
    Good,
    /// <summary>Amber background.</summary>
    Warning,
    /// <summary>Red background.</summary>
    Attention,
    /// <summary>Accent background.</summary>
    Accent,
}

/// <summary>Text sizes.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<AcFontSize>))]
public enum AcFontSize
{
    /// <summary>Body size.</summary>
    Default,
    /// <summary>Small print.</summary>
    Small,
    /// <summary>Medium.</summary>
    Medium,
    /// <summary>Large (headings).</summary>
    Large,
    /// <summary>Extra large.</summary>
    ExtraLarge,
}

/// <summary>Font weights.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<AcFontWeight>))]
public enum AcFontWeight
{
    /// <summary>Normal.</summary>
    Default,
    /// <summary>Lighter.</summary>
    Lighter,
    /// <summary>Bold.</summary>
    Bolder,
}

/// <summary>Spacing above an element.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<AcSpacing>))]
public enum AcSpacing
{
    /// <summary>The host's default.</summary>
    Default,
    /// <summary>No gap.</summary>
    None,
    /// <summary>Small gap.</summary>
    Small,
    /// <summary>Medium gap.</summary>
    Medium,
    /// <summary>Large gap.</summary>
    Large,
}

/// <summary>Button emphasis.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<AcActionStyle>))]
public enum AcActionStyle
{
    /// <summary>Plain button.</summary>
    Default,
    /// <summary>The primary, highlighted button.</summary>
    Positive,
    /// <summary>A destructive action.</summary>
    Destructive,
}

/// <summary>The root of a card: <c>{"type":"AdaptiveCard","version":"1.5",...}</c>.</summary>
/// <param name="Body">The elements, top to bottom.</param>
public sealed record AdaptiveCard(IReadOnlyList<AcElement> Body)
{
    /// <summary>Always <c>AdaptiveCard</c>.</summary>
    [JsonPropertyOrder(-3)]
    public string Type => "AdaptiveCard";

    /// <summary>The schema URL, so editors and the designer recognise the JSON.</summary>
    [JsonPropertyName("$schema")]
    [JsonPropertyOrder(-2)]
    public string Schema => "http://adaptivecards.io/schemas/adaptive-card.json";

    /// <summary>Card version; Teams' Universal Actions and charts need 1.5.</summary>
    [JsonPropertyOrder(-1)]
    public string Version { get; init; } = "1.5";

    /// <summary>Text shown by hosts that cannot render the card (and by notifications).</summary>
    public string? FallbackText { get; init; }

    /// <summary>Text a screen reader speaks for the card.</summary>
    public string? Speak { get; init; }
}

/// <summary>An element of a card body. The JSON <c>type</c> is the discriminator.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(AcTextBlock), "TextBlock")]
[JsonDerivedType(typeof(AcFactSet), "FactSet")]
[JsonDerivedType(typeof(AcColumnSet), "ColumnSet")]
[JsonDerivedType(typeof(AcContainer), "Container")]
[JsonDerivedType(typeof(AcImage), "Image")]
[JsonDerivedType(typeof(AcActionSet), "ActionSet")]
[JsonDerivedType(typeof(AcTable), "Table")]
[JsonDerivedType(typeof(AcInputNumber), "Input.Number")]
[JsonDerivedType(typeof(AcInputText), "Input.Text")]
[JsonDerivedType(typeof(AcInputDate), "Input.Date")]
[JsonDerivedType(typeof(AcLineChart), "Chart.Line")]
[JsonDerivedType(typeof(AcVerticalBarChart), "Chart.VerticalBar")]
[JsonDerivedType(typeof(AcHorizontalBarChart), "Chart.HorizontalBar")]
[JsonDerivedType(typeof(AcGroupedBarChart), "Chart.VerticalBar.Grouped")]
public abstract record AcElement
{
    /// <summary>Element id (inputs use it as the key of the submitted value).</summary>
    public string? Id { get; init; }

    /// <summary>Draw a line above the element.</summary>
    public bool? Separator { get; init; }

    /// <summary>Gap above the element.</summary>
    public AcSpacing? Spacing { get; init; }
}

/// <summary>A paragraph or title.</summary>
/// <param name="Text">The text; Adaptive Cards interpret a markdown subset, so callers escape it.</param>
public sealed record AcTextBlock(string Text) : AcElement
{
    /// <summary>Wrap long text instead of cutting it at one line.</summary>
    public bool? Wrap { get; init; }

    /// <summary>Size.</summary>
    public AcFontSize? Size { get; init; }

    /// <summary>Weight.</summary>
    public AcFontWeight? Weight { get; init; }

    /// <summary>Colour.</summary>
    public AcColor? Color { get; init; }

    /// <summary>Toned down (secondary detail).</summary>
    public bool? IsSubtle { get; init; }
}

/// <summary>A list of label–value pairs.</summary>
/// <param name="Facts">The pairs.</param>
public sealed record AcFactSet(IReadOnlyList<AcFact> Facts) : AcElement;

/// <summary>One label–value pair of a fact set.</summary>
/// <param name="Title">The label.</param>
/// <param name="Value">The value.</param>
public sealed record AcFact(string Title, string Value);

/// <summary>Columns side by side.</summary>
/// <param name="Columns">The columns.</param>
public sealed record AcColumnSet(IReadOnlyList<AcColumn> Columns) : AcElement;

/// <summary>One column of a column set (not an element on its own, so it carries its own <c>type</c>).</summary>
/// <param name="Items">The column's elements.</param>
public sealed record AcColumn(IReadOnlyList<AcElement> Items)
{
    /// <summary>Always <c>Column</c>.</summary>
    [JsonPropertyOrder(-1)]
    public string Type => "Column";

    /// <summary><c>auto</c>, <c>stretch</c> or a relative weight such as <c>"2"</c>.</summary>
    public string? Width { get; init; }

    /// <summary>Background style.</summary>
    public AcContainerStyle? Style { get; init; }

    /// <summary>Vertical alignment of the items (<c>center</c> lines a badge up with its title).</summary>
    public string? VerticalContentAlignment { get; init; }
}

/// <summary>A group of elements with an optional background style.</summary>
/// <param name="Items">The elements.</param>
public sealed record AcContainer(IReadOnlyList<AcElement> Items) : AcElement
{
    /// <summary>Background style.</summary>
    public AcContainerStyle? Style { get; init; }
}

/// <summary>An image by URL.</summary>
/// <param name="Url">Absolute URL the host can fetch.</param>
public sealed record AcImage(string Url) : AcElement
{
    /// <summary>Description for screen readers.</summary>
    public string? AltText { get; init; }

    /// <summary><c>auto</c>, <c>stretch</c>, <c>small</c>, <c>medium</c> or <c>large</c>.</summary>
    public string? Size { get; init; }
}

/// <summary>A row of buttons inside the body.</summary>
/// <param name="Actions">The buttons.</param>
public sealed record AcActionSet(IReadOnlyList<AcAction> Actions) : AcElement;

/// <summary>A table (new in 1.5).</summary>
/// <param name="Columns">Column definitions (relative widths).</param>
/// <param name="Rows">Rows; the first is the header.</param>
public sealed record AcTable(IReadOnlyList<AcTableColumn> Columns, IReadOnlyList<AcTableRow> Rows) : AcElement
{
    /// <summary>The first row is the header (announced as such by screen readers).</summary>
    public bool? FirstRowAsHeader { get; init; }

    /// <summary>Draw grid lines.</summary>
    public bool? ShowGridLines { get; init; }

    /// <summary>Colour of the grid.</summary>
    public AcContainerStyle? GridStyle { get; init; }
}

/// <summary>A table column definition.</summary>
/// <param name="Width">Relative width.</param>
public sealed record AcTableColumn(int Width)
{
    /// <summary>Always <c>TableColumnDefinition</c>.</summary>
    [JsonPropertyOrder(-1)]
    public string Type => "TableColumnDefinition";
}

/// <summary>A table row.</summary>
/// <param name="Cells">One cell per column.</param>
public sealed record AcTableRow(IReadOnlyList<AcTableCell> Cells)
{
    /// <summary>Always <c>TableRow</c>.</summary>
    [JsonPropertyOrder(-1)]
    public string Type => "TableRow";

    /// <summary>Background of the whole row (a person in Danger).</summary>
    public AcContainerStyle? Style { get; init; }
}

/// <summary>A table cell.</summary>
/// <param name="Items">The cell's elements.</param>
public sealed record AcTableCell(IReadOnlyList<AcElement> Items)
{
    /// <summary>Always <c>TableCell</c>.</summary>
    [JsonPropertyOrder(-1)]
    public string Type => "TableCell";
}

/// <summary>A number input.</summary>
public sealed record AcInputNumber : AcElement
{
    /// <summary>Creates the input with the key of its submitted value.</summary>
    public AcInputNumber(string id) => Id = id;

    /// <summary>Visible label.</summary>
    public string? Label { get; init; }

    /// <summary>Smallest value allowed.</summary>
    public double? Min { get; init; }

    /// <summary>Largest value allowed.</summary>
    public double? Max { get; init; }

    /// <summary>Hint shown while empty.</summary>
    public string? Placeholder { get; init; }

    /// <summary>Initial value.</summary>
    public double? Value { get; init; }

    /// <summary>The host refuses to submit without a value.</summary>
    public bool? IsRequired { get; init; }

    /// <summary>Shown when the value is missing or out of bounds.</summary>
    public string? ErrorMessage { get; init; }
}

/// <summary>A free-text input.</summary>
public sealed record AcInputText : AcElement
{
    /// <summary>Creates the input with the key of its submitted value.</summary>
    public AcInputText(string id) => Id = id;

    /// <summary>Visible label.</summary>
    public string? Label { get; init; }

    /// <summary>Hint shown while empty.</summary>
    public string? Placeholder { get; init; }

    /// <summary>Initial value.</summary>
    public string? Value { get; init; }

    /// <summary>The host refuses to submit without a value.</summary>
    public bool? IsRequired { get; init; }

    /// <summary>Shown when the value is missing.</summary>
    public string? ErrorMessage { get; init; }
}

/// <summary>A date input (values are <c>yyyy-MM-dd</c>).</summary>
public sealed record AcInputDate : AcElement
{
    /// <summary>Creates the input with the key of its submitted value.</summary>
    public AcInputDate(string id) => Id = id;

    /// <summary>Visible label.</summary>
    public string? Label { get; init; }

    /// <summary>Initial value, <c>yyyy-MM-dd</c>.</summary>
    public string? Value { get; init; }

    /// <summary>The host refuses to submit without a value.</summary>
    public bool? IsRequired { get; init; }

    /// <summary>Shown when the value is missing.</summary>
    public string? ErrorMessage { get; init; }
}

/// <summary>
/// Base of Teams' chart elements. They are not part of the Adaptive Cards schema, so every chart carries a
/// <see cref="Fallback"/> (the PNG image) that other hosts show instead.
/// </summary>
public abstract record AcChart : AcElement
{
    /// <summary>Chart title.</summary>
    public string? Title { get; init; }

    /// <summary>What a host that doesn't know the chart type shows instead.</summary>
    public AcElement? Fallback { get; init; }
}

/// <summary>One point of a Teams chart.</summary>
/// <param name="X">Category label.</param>
/// <param name="Y">Value.</param>
public sealed record AcChartPoint(string X, double Y);

/// <summary>A named series of a line or grouped bar chart.</summary>
/// <param name="Legend">Series name.</param>
/// <param name="Values">Points.</param>
public sealed record AcChartSeries(string Legend, IReadOnlyList<AcChartPoint> Values)
{
    /// <summary>Palette colour name (<c>good</c>, <c>neutral</c>, <c>categoricalBlue</c>…).</summary>
    public string? Color { get; init; }
}

/// <summary>Teams <c>Chart.Line</c>.</summary>
/// <param name="Data">The series.</param>
public sealed record AcLineChart(IReadOnlyList<AcChartSeries> Data) : AcChart
{
    /// <summary>X-axis title.</summary>
    public string? XAxisTitle { get; init; }

    /// <summary>Y-axis title.</summary>
    public string? YAxisTitle { get; init; }
}

/// <summary>Teams <c>Chart.VerticalBar</c>.</summary>
/// <param name="Data">One bar per point.</param>
public sealed record AcVerticalBarChart(IReadOnlyList<AcChartPoint> Data) : AcChart
{
    /// <summary>X-axis title.</summary>
    public string? XAxisTitle { get; init; }

    /// <summary>Y-axis title.</summary>
    public string? YAxisTitle { get; init; }

    /// <summary>Print each bar's value on it.</summary>
    public bool? ShowBarValues { get; init; }
}

/// <summary>Teams <c>Chart.HorizontalBar</c>.</summary>
/// <param name="Data">One bar per point.</param>
public sealed record AcHorizontalBarChart(IReadOnlyList<AcChartPoint> Data) : AcChart
{
    /// <summary><c>AbsoluteWithAxis</c>, <c>AbsoluteNoAxis</c> or <c>PartToWhole</c>.</summary>
    public string? DisplayMode { get; init; }
}

/// <summary>Teams <c>Chart.VerticalBar.Grouped</c>.</summary>
/// <param name="Data">One series per legend entry.</param>
public sealed record AcGroupedBarChart(IReadOnlyList<AcChartSeries> Data) : AcChart
{
    /// <summary>X-axis title.</summary>
    public string? XAxisTitle { get; init; }

    /// <summary>Y-axis title.</summary>
    public string? YAxisTitle { get; init; }

    /// <summary>Stack the series instead of grouping them side by side.</summary>
    public bool? Stacked { get; init; }
}

/// <summary>A button. The JSON <c>type</c> is the discriminator.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(AcExecuteAction), "Action.Execute")]
[JsonDerivedType(typeof(AcSubmitAction), "Action.Submit")]
public abstract record AcAction(string Title)
{
    /// <summary>Emphasis.</summary>
    public AcActionStyle? Style { get; init; }
}

/// <summary>
/// A Universal Action: Teams sends an <c>adaptiveCard/action</c> invoke with <see cref="Verb"/> and <see cref="Data"/>
/// (https://learn.microsoft.com/adaptive-cards/authoring-cards/universal-action-model).
/// </summary>
/// <param name="Title">Button text.</param>
/// <param name="Verb">What the bot should do (<c>command</c>, <c>form</c>).</param>
/// <param name="Data">Hidden values sent with the inputs.</param>
public sealed record AcExecuteAction(string Title, string Verb, IReadOnlyDictionary<string, string> Data) : AcAction(Title)
{
    /// <summary>Shown by hosts older than 1.4: an <see cref="AcSubmitAction"/> with the same data.</summary>
    public AcAction? Fallback { get; init; }
}

/// <summary>A submit button: the host posts <see cref="Data"/> merged with the card's input values as a message.</summary>
/// <param name="Title">Button text.</param>
/// <param name="Data">Hidden values sent with the inputs.</param>
public sealed record AcSubmitAction(string Title, IReadOnlyDictionary<string, string> Data) : AcAction(Title);

/// <summary>Source-generated serializer for the card model.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AdaptiveCard))]
public sealed partial class AdaptiveCardJsonContext : JsonSerializerContext;
