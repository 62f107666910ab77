namespace KpiBot.Replies;

/// <summary>Who should see a reply.</summary>
public enum ReplyVisibility
{
    /// <summary>Only the person who asked (Slack ephemeral / DM, Teams personal).</summary>
    Private,
    /// <summary>Everyone in the conversation it was asked in.</summary>
    Conversation,
}

/// <summary>Colour intent of text; renderers map it to their palette.</summary>
public enum Tone
{
    /// <summary>Plain.</summary>
    Default,
    /// <summary>Good news (Normal state, in control).</summary>
    Good,
    /// <summary>Needs an eye (Crisis, watch).</summary>
    Warning,
    /// <summary>Needs action now (Danger, flagged data, errors).</summary>
    Attention,
    /// <summary>Secondary detail.</summary>
    Muted,
}

/// <summary>
/// A platform-neutral reply. Handlers build it; renderers turn it into an Adaptive Card, Block Kit,
/// HTML or plain text. <see cref="Summary"/> is the one-line notification fallback every platform needs.
/// </summary>
public sealed record Reply(string Summary, IReadOnlyList<ReplyBlock> Blocks, ReplyVisibility Visibility = ReplyVisibility.Private)
{
    /// <summary>A reply that is a single paragraph.</summary>
    public static Reply Text(string text, Tone tone = Tone.Default) => new(text, [new Paragraph(text, tone)]);
}

/// <summary>One building block of a reply.</summary>
public abstract record ReplyBlock;

/// <summary>A title, with an optional state badge (Normal / Crisis / Danger).</summary>
public sealed record Heading(string Text, Badge? Badge = null) : ReplyBlock;

/// <summary>A short coloured label such as a status state.</summary>
public sealed record Badge(string Text, Tone Tone);

/// <summary>A paragraph of text. Markdown-free: renderers escape it for their format.</summary>
public sealed record Paragraph(string Text, Tone Tone = Tone.Default) : ReplyBlock;

/// <summary>Label–value pairs ("Relative slope: −12.4 %/week").</summary>
public sealed record FactList(IReadOnlyList<Fact> Facts) : ReplyBlock;

/// <summary>One label–value pair.</summary>
public sealed record Fact(string Label, string Value, Tone Tone = Tone.Default);

/// <summary>A table (team overview, pipeline per stage per week). Rows have one cell per column.</summary>
public sealed record Table(IReadOnlyList<string> Columns, IReadOnlyList<TableRow> Rows) : ReplyBlock;

/// <summary>One table row; <see cref="Tone"/> colours the whole row (e.g. a person in Danger).</summary>
public sealed record TableRow(IReadOnlyList<string> Cells, Tone Tone = Tone.Default);

/// <summary>A sales funnel: phase counts with the conversion into each next phase.</summary>
public sealed record Funnel(string Title, IReadOnlyList<FunnelStep> Steps, string? Note) : ReplyBlock;

/// <summary>
/// One phase of a funnel. <see cref="Rate"/> is the conversion from the previous step (null on the first),
/// with its 95 % Wilson interval. <see cref="Flagged"/> marks a numerator larger than its denominator.
/// </summary>
public sealed record FunnelStep(string Label, decimal Count, double? Rate, double? RateLow, double? RateHigh, bool IsBottleneck, bool Flagged);

/// <summary>A chart: neutral data that renderers draw natively (Teams charts) or as a cached PNG.</summary>
/// <param name="Categories">X-axis labels (week labels, stage names).</param>
/// <param name="Series">One or more series with one value per category (null = gap, e.g. an away week).</param>
public sealed record Chart(string Title, ChartKind Kind, IReadOnlyList<string> Categories, IReadOnlyList<ChartSeries> Series, string? XAxisTitle = null, string? YAxisTitle = null) : ReplyBlock;

/// <summary>How a chart draws its data.</summary>
public enum ChartKind
{
    /// <summary>Lines over categories (a weekly trend with its fitted line).</summary>
    Line,
    /// <summary>Vertical bars (per week).</summary>
    VerticalBar,
    /// <summary>Horizontal bars (funnel phases).</summary>
    HorizontalBar,
    /// <summary>Vertical bars grouped per category (pipeline per stage per week).</summary>
    GroupedBar,
}

/// <summary>A named series; <see cref="IsFit"/> marks a fitted trend line drawn dashed.</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<double?> Values, bool IsFit = false);

/// <summary>Coaching suggestions, each with the numbers that triggered it.</summary>
public sealed record CoachingList(string Title, IReadOnlyList<CoachingItem> Items) : ReplyBlock;

/// <summary>One suggestion: what to do and why (the evidence quotes the numbers).</summary>
public sealed record CoachingItem(string Advice, string Evidence, Tone Tone = Tone.Default);

/// <summary>Buttons; each runs a chat command as if the user had typed it.</summary>
public sealed record Actions(IReadOnlyList<ReplyAction> Items) : ReplyBlock;

/// <summary>A button that sends <see cref="Command"/> (e.g. "funnel for Anna").</summary>
public sealed record ReplyAction(string Title, string Command, bool Primary = false);

/// <summary>A form (the logging form): inputs plus a submit button that sends a <c>FormSubmission</c>.</summary>
public sealed record Form(string FormId, string Title, IReadOnlyList<FormField> Fields, string SubmitTitle) : ReplyBlock;

/// <summary>The kind of a form input.</summary>
public enum FormFieldKind
{
    /// <summary>A whole number (counts).</summary>
    Number,
    /// <summary>Free text.</summary>
    Text,
    /// <summary>A date.</summary>
    Date,
}

/// <summary>One form input with its bounds; <see cref="Id"/> is the key in the submitted values.</summary>
public sealed record FormField(string Id, string Label, FormFieldKind Kind, double? Min = null, double? Max = null, string? Placeholder = null, string? Value = null, bool Required = false);

/// <summary>
/// People named so the platform notifies them: Teams renders <c>&lt;at&gt;Name&lt;/at&gt;</c> plus a mention entity,
/// Slack <c>&lt;@U…&gt;</c>; renderers without mentions (HTML, text) print <see cref="Lead"/> and the names.
/// </summary>
/// <param name="Lead">The text before the names ("Not logged yet this week:").</param>
public sealed record Mentions(string Lead, IReadOnlyList<MentionedPerson> People) : ReplyBlock;

/// <summary>One mentioned person: the platform user id to notify (Slack <c>U…</c>, Teams aadObjectId) and the name shown.</summary>
public sealed record MentionedPerson(string PlatformUserId, string DisplayName);
