using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using KpiBot.Charts;
using KpiBot.Replies;

namespace KpiBot.Rendering.BlockKit;

/// <summary>
/// Renders a neutral <see cref="Reply"/> as Slack Block Kit, always within Slack's documented limits
/// (https://api.slack.com/reference/block-kit/blocks): long text is split over several sections, long tables are
/// cut with a note, and a message never exceeds 50 blocks. Buttons carry <c>action_id</c> <c>command:&lt;n&gt;</c>
/// and the command as <c>value</c>; a form becomes a button (<c>form:&lt;formId&gt;</c>) that opens
/// <see cref="RenderModal"/> through <c>views.open</c>, because input blocks belong in modals.
/// </summary>
public sealed partial class BlockKitRenderer(IChartImages charts) : IBlockKitRenderer
{
    /// <summary>Most blocks in one message.</summary>
    public const int MaxBlocks = 50;

    /// <summary>Longest header text.</summary>
    public const int MaxHeaderLength = 150;

    /// <summary>Longest section text.</summary>
    public const int MaxSectionTextLength = 3_000;

    /// <summary>Most fields in a section.</summary>
    public const int MaxFields = 10;

    /// <summary>Longest field text.</summary>
    public const int MaxFieldLength = 2_000;

    /// <summary>Most elements in an actions block.</summary>
    public const int MaxActionsPerBlock = 25;

    /// <summary>Longest button label.</summary>
    public const int MaxButtonTextLength = 75;

    /// <summary>Longest button value.</summary>
    public const int MaxButtonValueLength = 2_000;

    /// <summary>Longest image alt text.</summary>
    public const int MaxAltTextLength = 2_000;

    /// <summary>Longest modal title / submit label.</summary>
    public const int MaxModalTitleLength = 24;

    /// <summary>The <c>action_id</c> prefix of buttons that run a chat command (the value is the command).</summary>
    public const string CommandActionPrefix = "command:";

    /// <summary>The <c>action_id</c> prefix of buttons that open a form's modal (the value is the form id).</summary>
    public const string FormActionPrefix = "form:";

    /// <summary>The <c>action_id</c> of every input inside a modal (the block id is the field id).</summary>
    public const string ModalInputActionId = "value";

    // Longest notification fallback we send; Slack would truncate at 40,000 but notifications show far less.
    private const int MaxFallbackTextLength = 3_000;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <inheritdoc />
    public SlackMessage Render(Reply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var blocks = new List<SlackBlock>();
        var buttonNumber = 0;
        foreach (var block in reply.Blocks)
        {
            blocks.AddRange(RenderBlock(block, ref buttonNumber));
        }

        blocks = FitBlockCount(blocks);
        var json = (JsonArray)JsonSerializer.SerializeToNode(blocks, BlockKitJsonContext.Default.IReadOnlyListSlackBlock)!;
        var fallback = string.IsNullOrWhiteSpace(reply.Summary) ? "KpiBot reply" : reply.Summary;
        return new SlackMessage(ReplyFormatting.Truncate(EscapeMrkdwn(fallback), MaxFallbackTextLength), json);
    }

    /// <inheritdoc />
    public JsonObject RenderModal(Form form, string callbackId, string? privateMetadata)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentException.ThrowIfNullOrWhiteSpace(callbackId);
        var blocks = form.Fields.Select(ModalInput).Cast<SlackBlock>().ToList();
        var view = new SlackModalView(SlackText.Plain(ReplyFormatting.Truncate(form.Title, MaxModalTitleLength)), blocks)
        {
            CallbackId = callbackId,
            PrivateMetadata = privateMetadata,
            Submit = SlackText.Plain(ReplyFormatting.Truncate(form.SubmitTitle, MaxModalTitleLength)),
            Close = SlackText.Plain("Cancel"),
        };
        return (JsonObject)JsonSerializer.SerializeToNode(view, BlockKitJsonContext.Default.SlackModalView)!;
    }

    /// <summary>Escapes the three characters Slack's mrkdwn reserves (https://api.slack.com/reference/surfaces/formatting#escaping).</summary>
    public static string EscapeMrkdwn(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.AsSpan().IndexOfAny("&<>") < 0
            ? text
            : text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
    }

    private IEnumerable<SlackBlock> RenderBlock(ReplyBlock block, ref int buttonNumber)
    {
        switch (block)
        {
            case Heading heading:
                return RenderHeading(heading);
            case Paragraph paragraph when paragraph.Tone == Tone.Muted:
                return Split(EscapeMrkdwn(paragraph.Text), MaxSectionTextLength).Select(t => (SlackBlock)new SlackContextBlock([SlackText.Markdown(t)]));
            case Paragraph paragraph:
                return Sections(ToneMark(paragraph.Tone) + EscapeMrkdwn(paragraph.Text));
            case FactList facts:
                return RenderFacts(facts);
            case Table table:
                return RenderTable(table);
            case Funnel funnel:
                return RenderFunnel(funnel);
            case Chart chart:
                return
                [
                    new SlackImageBlock(charts.UrlFor(chart), ReplyFormatting.Truncate(ReplyFormatting.ChartAltText(chart), MaxAltTextLength))
                    {
                        Title = SlackText.Plain(ReplyFormatting.Truncate(chart.Title, MaxAltTextLength)),
                    },
                ];
            case CoachingList coaching:
                return RenderCoaching(coaching);
            case Actions actions:
                return RenderActions(actions, ref buttonNumber);
            case Form form:
                return RenderFormLauncher(form);
            case Mentions mentions:
                // <@U…> notifies the person in Slack; ids of other platforms are shown as names.
                return Sections(EscapeMrkdwn(mentions.Lead) + " " + string.Join(", ", mentions.People.Select(p =>
                    SlackUserId().IsMatch(p.PlatformUserId) ? $"<@{p.PlatformUserId}>" : EscapeMrkdwn(p.DisplayName))));
            default:
                return Sections($"_(This part of the reply can't be shown in Slack: {block.GetType().Name}.)_");
        }
    }

    private static IEnumerable<SlackBlock> RenderHeading(Heading heading)
    {
        // Header text is plain_text: no escaping, and it can't be coloured, so the badge gets a coloured dot.
        var text = heading.Badge is { } badge ? $"{heading.Text} · {ToneEmoji(badge.Tone)}{badge.Text}" : heading.Text;
        yield return new SlackHeaderBlock(SlackText.Plain(ReplyFormatting.Truncate(text, MaxHeaderLength)));
    }

    private static IEnumerable<SlackBlock> RenderFacts(FactList facts)
    {
        var fields = facts.Facts
            .Select(f => SlackText.Markdown(ReplyFormatting.Truncate($"*{EscapeMrkdwn(f.Label)}*\n{ToneMark(f.Tone)}{EscapeMrkdwn(f.Value)}", MaxFieldLength)))
            .ToList();
        return fields.Chunk(MaxFields).Select(chunk => (SlackBlock)new SlackSectionBlock { Fields = chunk });
    }

    private static IEnumerable<SlackBlock> RenderTable(Table table)
    {
        // Block Kit has no table block for messages: each row becomes one line "cell · cell · cell", the
        // first cell bold and a coloured dot for the row's tone; lines are packed into sections of ≤ 3,000.
        var header = "_" + EscapeMrkdwn(string.Join(" · ", table.Columns)) + "_";
        var lines = new List<string> { header };
        foreach (var row in table.Rows)
        {
            var cells = row.Cells.Select((c, i) => i == 0 ? $"*{EscapeMrkdwn(c)}*" : EscapeMrkdwn(c));
            lines.Add(ReplyFormatting.Truncate(ToneMark(row.Tone) + string.Join(" · ", cells), 500));
        }

        if (table.Rows.Count == 0)
        {
            lines.Add("_No rows yet._");
        }

        return PackLines(lines).Select(text => (SlackBlock)new SlackSectionBlock { Text = SlackText.Markdown(text) });
    }

    private static IEnumerable<SlackBlock> RenderFunnel(Funnel funnel)
    {
        var lines = new List<string> { $"*{EscapeMrkdwn(funnel.Title)}*" };
        foreach (var step in funnel.Steps)
        {
            var line = new StringBuilder();
            line.Append(step.IsBottleneck ? ":red_circle: " : step.Flagged ? ":warning: " : "• ");
            line.Append('*').Append(EscapeMrkdwn(step.Label)).Append("*: ").Append(ReplyFormatting.Count(step.Count));
            if (step.Rate.HasValue)
            {
                line.Append(" · ").Append(ReplyFormatting.Rate(step)).Append(" conversion");
                var interval = ReplyFormatting.Interval(step);
                if (interval.Length > 0)
                {
                    line.Append(" (95 % interval ").Append(interval).Append(')');
                }
            }

            var remarks = ReplyFormatting.StepRemarks(step);
            if (remarks.Length > 0)
            {
                line.Append(" — _").Append(EscapeMrkdwn(remarks)).Append('_');
            }

            lines.Add(line.ToString());
        }

        var blocks = PackLines(lines).Select(text => (SlackBlock)new SlackSectionBlock { Text = SlackText.Markdown(text) }).ToList();
        if (!string.IsNullOrWhiteSpace(funnel.Note))
        {
            blocks.Add(new SlackContextBlock([SlackText.Markdown(ReplyFormatting.Truncate(EscapeMrkdwn(funnel.Note), MaxSectionTextLength))]));
        }

        return blocks;
    }

    private static IEnumerable<SlackBlock> RenderCoaching(CoachingList coaching)
    {
        var lines = new List<string> { $"*{EscapeMrkdwn(coaching.Title)}*" };
        lines.AddRange(coaching.Items.Select(item =>
            ReplyFormatting.Truncate($"{ToneMark(item.Tone, "• ")}*{EscapeMrkdwn(item.Advice)}*\n      _{EscapeMrkdwn(item.Evidence)}_", 1_500)));
        if (coaching.Items.Count == 0)
        {
            lines.Add("_No suggestions right now._");
        }

        return PackLines(lines).Select(text => (SlackBlock)new SlackSectionBlock { Text = SlackText.Markdown(text) });
    }

    private static List<SlackBlock> RenderActions(Actions actions, ref int buttonNumber)
    {
        var blocks = new List<SlackBlock>();
        foreach (var chunk in actions.Items.Chunk(MaxActionsPerBlock))
        {
            var buttons = new List<SlackButton>(chunk.Length);
            foreach (var action in chunk)
            {
                buttons.Add(new SlackButton(
                    SlackText.Plain(ReplyFormatting.Truncate(action.Title, MaxButtonTextLength)),
                    CommandActionPrefix + (++buttonNumber).ToString(Invariant),
                    ReplyFormatting.Truncate(action.Command, MaxButtonValueLength))
                {
                    Style = action.Primary ? "primary" : null,
                });
            }

            blocks.Add(new SlackActionsBlock(buttons));
        }

        return blocks;
    }

    private static IEnumerable<SlackBlock> RenderFormLauncher(Form form)
    {
        yield return new SlackSectionBlock { Text = SlackText.Markdown($"*{EscapeMrkdwn(form.Title)}*") };
        yield return new SlackActionsBlock(
        [
            new SlackButton(SlackText.Plain(ReplyFormatting.Truncate(form.Title, MaxButtonTextLength)), FormActionPrefix + form.FormId, form.FormId) { Style = "primary" },
        ]);
    }

    private static SlackInputBlock ModalInput(FormField field)
    {
        SlackInputElement element = field.Kind switch
        {
            FormFieldKind.Number => new SlackNumberInput(ModalInputActionId, IsDecimalAllowed: false)
            {
                MinValue = field.Min?.ToString(Invariant),
                MaxValue = field.Max?.ToString(Invariant),
                InitialValue = string.IsNullOrWhiteSpace(field.Value) ? null : field.Value,
                Placeholder = field.Placeholder is null ? null : SlackText.Plain(ReplyFormatting.Truncate(field.Placeholder, 150)),
            },
            FormFieldKind.Date => new SlackDatePicker(ModalInputActionId)
            {
                InitialDate = string.IsNullOrWhiteSpace(field.Value) ? null : field.Value,
                Placeholder = field.Placeholder is null ? null : SlackText.Plain(ReplyFormatting.Truncate(field.Placeholder, 150)),
            },
            _ => new SlackPlainTextInput(ModalInputActionId)
            {
                InitialValue = string.IsNullOrWhiteSpace(field.Value) ? null : field.Value,
                Placeholder = field.Placeholder is null ? null : SlackText.Plain(ReplyFormatting.Truncate(field.Placeholder, 150)),
            },
        };
        var hint = (field.Min, field.Max) switch
        {
            ({ } min, { } max) => $"From {ReplyFormatting.Number(min)} to {ReplyFormatting.Number(max)}.",
            ({ } min, null) => $"At least {ReplyFormatting.Number(min)}.",
            (null, { } max) => $"Up to {ReplyFormatting.Number(max)}.",
            _ => null,
        };
        return new SlackInputBlock(SlackText.Plain(ReplyFormatting.Truncate(field.Label, 2_000)), element)
        {
            BlockId = ReplyFormatting.Truncate(field.Id, 255),
            Optional = field.Required ? null : true,
            Hint = hint is null ? null : SlackText.Plain(hint),
        };
    }

    private static List<SlackBlock> FitBlockCount(List<SlackBlock> blocks)
    {
        if (blocks.Count <= MaxBlocks)
        {
            return blocks;
        }

        // Keep the buttons (they are how the user goes on) and cut content, saying so.
        var actions = blocks.OfType<SlackActionsBlock>().Take(MaxBlocks / 2).Cast<SlackBlock>().ToList();
        var content = blocks.Where(b => b is not SlackActionsBlock).ToList();
        var room = MaxBlocks - actions.Count - 1;
        var kept = content.Take(room).ToList();
        kept.Add(new SlackContextBlock([SlackText.Markdown($"_{content.Count - room} more parts of this reply did not fit in one Slack message._")]));
        kept.AddRange(actions);
        return kept;
    }

    private static IEnumerable<SlackBlock> Sections(string escapedText) =>
        Split(escapedText, MaxSectionTextLength).Select(t => (SlackBlock)new SlackSectionBlock { Text = SlackText.Markdown(t) });

    /// <summary>Packs lines into texts of at most 3,000 characters, never splitting a line that fits.</summary>
    private static List<string> PackLines(IEnumerable<string> lines)
    {
        var texts = new List<string>();
        var current = new StringBuilder();
        foreach (var line in lines.SelectMany(l => Split(l, MaxSectionTextLength)))
        {
            if (current.Length > 0 && current.Length + 1 + line.Length > MaxSectionTextLength)
            {
                texts.Add(current.ToString());
                current.Clear();
            }

            if (current.Length > 0)
            {
                current.Append('\n');
            }

            current.Append(line);
        }

        if (current.Length > 0)
        {
            texts.Add(current.ToString());
        }

        return texts;
    }

    /// <summary>Splits text into pieces of at most <paramref name="max"/> characters, preferring whitespace and not breaking an escape.</summary>
    private static IEnumerable<string> Split(string text, int max)
    {
        var rest = text.AsMemory();
        while (rest.Length > max)
        {
            var span = rest.Span[..max];
            var cut = span.LastIndexOfAny(" \n");
            if (cut < max / 2)
            {
                cut = max;
                // Don't split "&amp;" or a surrogate pair.
                var amp = span.LastIndexOf('&');
                if (amp > max - 5)
                {
                    cut = amp;
                }
                else if (char.IsHighSurrogate(span[cut - 1]))
                {
                    cut--;
                }
            }

            yield return rest[..cut].ToString().TrimEnd();
            rest = rest[cut..];
            rest = rest.TrimStart();
        }

        if (rest.Length > 0)
        {
            yield return rest.ToString();
        }
    }

    private static string ToneEmoji(Tone tone) => tone switch
    {
        Tone.Good => "🟢 ",
        Tone.Warning => "🟠 ",
        Tone.Attention => "🔴 ",
        _ => string.Empty,
    };

    private static string ToneMark(Tone tone, string plain = "") => tone switch
    {
        Tone.Good => ":large_green_circle: ",
        Tone.Warning => ":large_orange_circle: ",
        Tone.Attention => ":red_circle: ",
        _ => plain,
    };

    /// <summary>A Slack user or enterprise user id (<c>U…</c>, <c>W…</c>), which <c>&lt;@…&gt;</c> can mention.</summary>
    [GeneratedRegex("^[UW][A-Z0-9]{2,}$")]
    private static partial Regex SlackUserId();
}
