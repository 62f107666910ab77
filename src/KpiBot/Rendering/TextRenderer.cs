using System.Text;
using KpiBot.Replies;

namespace KpiBot.Rendering;

/// <summary>
/// Renders a reply as plain text: the command line, logs and every platform's notification fallback.
/// Charts become a one-line description with their last values, buttons a list of commands one could type.
/// </summary>
public sealed class TextRenderer : ITextRenderer
{
    /// <inheritdoc />
    public string Render(Reply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var text = new StringBuilder();
        foreach (var block in reply.Blocks)
        {
            if (text.Length > 0)
            {
                text.AppendLine();
            }

            RenderBlock(text, block);
        }

        return text.ToString().TrimEnd();
    }

    private static void RenderBlock(StringBuilder text, ReplyBlock block)
    {
        switch (block)
        {
            case Heading heading:
                text.Append(heading.Text);
                if (heading.Badge is { } badge)
                {
                    text.Append(" [").Append(badge.Text).Append(']');
                }

                text.AppendLine();
                break;
            case Paragraph paragraph:
                text.AppendLine(paragraph.Text);
                break;
            case FactList facts:
                var width = facts.Facts.Count == 0 ? 0 : facts.Facts.Max(f => f.Label.Length);
                foreach (var fact in facts.Facts)
                {
                    text.Append(fact.Label).Append(':').Append(' ', width - fact.Label.Length + 1).AppendLine(fact.Value);
                }

                break;
            case Table table:
                RenderColumns(text, table.Columns, table.Rows.Select(r => r.Cells).ToList());
                if (table.Rows.Count == 0)
                {
                    text.AppendLine("(no rows yet)");
                }

                break;
            case Funnel funnel:
                text.AppendLine(funnel.Title);
                RenderColumns(text, [.. ReplyFormatting.FunnelColumns, "Remarks"], funnel.Steps
                    .Select(s => (IReadOnlyList<string>)[s.Label, ReplyFormatting.Count(s.Count), ReplyFormatting.Rate(s), ReplyFormatting.Interval(s), ReplyFormatting.StepRemarks(s)])
                    .ToList());
                if (!string.IsNullOrWhiteSpace(funnel.Note))
                {
                    text.AppendLine(funnel.Note);
                }

                break;
            case Chart chart:
                text.Append("[chart] ").AppendLine(ReplyFormatting.ChartAltText(chart));
                break;
            case CoachingList coaching:
                text.AppendLine(coaching.Title);
                foreach (var item in coaching.Items)
                {
                    text.Append("- ").AppendLine(item.Advice).Append("  ").AppendLine(item.Evidence);
                }

                break;
            case Actions actions:
                text.Append("Try: ").AppendLine(string.Join(" | ", actions.Items.Select(a => $"\"{a.Command}\"")));
                break;
            case Form form:
                text.Append(form.Title).Append(" — type e.g. \"log ")
                    .Append(string.Join(' ', form.Fields.Where(f => f.Kind == FormFieldKind.Number).Take(3).Select(f => f.Id + " 3")))
                    .AppendLine("\"");
                break;
            case Mentions mentions:
                text.Append(mentions.Lead).Append(' ').AppendLine(string.Join(", ", mentions.People.Select(p => p.DisplayName)));
                break;
            default:
                text.AppendLine("(part of this reply can't be shown as text)");
                break;
        }
    }

    private static void RenderColumns(StringBuilder text, IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var widths = columns.Select((c, i) => Math.Max(c.Length, rows.Count == 0 ? 0 : rows.Max(r => i < r.Count ? r[i].Length : 0))).ToArray();
        AppendRow(text, columns, widths);
        text.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in rows)
        {
            AppendRow(text, row, widths);
        }
    }

    private static void AppendRow(StringBuilder text, IReadOnlyList<string> cells, int[] widths)
    {
        var line = new StringBuilder();
        for (var i = 0; i < widths.Length; i++)
        {
            var cell = i < cells.Count ? cells[i] : string.Empty;
            line.Append(cell.PadRight(widths[i]));
            if (i < widths.Length - 1)
            {
                line.Append("  ");
            }
        }

        text.AppendLine(line.ToString().TrimEnd());
    }
}
