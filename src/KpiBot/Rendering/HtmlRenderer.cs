using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using KpiBot.Charts;
using KpiBot.Replies;

namespace KpiBot.Rendering;

/// <summary>
/// Renders a reply as a semantic HTML fragment for the local chat page. Every piece of text and every attribute
/// goes through <see cref="HtmlEncoder"/>; the page styles the <c>kb-*</c> classes and wires
/// <c>button[data-command]</c> and <c>form[data-form-id]</c> to <c>POST /api/dev/chat</c>.
/// </summary>
public sealed class HtmlRenderer(IChartImages charts) : IHtmlRenderer
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Default;
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <inheritdoc />
    public string Render(Reply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var html = new StringBuilder(512);
        html.Append("<div class=\"kb-reply\">");
        foreach (var block in reply.Blocks)
        {
            RenderBlock(html, block);
        }

        return html.Append("</div>").ToString();
    }

    private void RenderBlock(StringBuilder html, ReplyBlock block)
    {
        switch (block)
        {
            case Heading heading:
                html.Append("<h3 class=\"kb-heading\">").Append(E(heading.Text));
                if (heading.Badge is { } badge)
                {
                    html.Append(" <span class=\"kb-badge ").Append(ToneClass(badge.Tone)).Append("\">").Append(E(badge.Text)).Append("</span>");
                }

                html.Append("</h3>");
                break;
            case Paragraph paragraph:
                html.Append("<p class=\"kb-text ").Append(ToneClass(paragraph.Tone)).Append("\">")
                    .Append(E(paragraph.Text).Replace("\n", "<br>", StringComparison.Ordinal)).Append("</p>");
                break;
            case FactList facts:
                html.Append("<dl class=\"kb-facts\">");
                foreach (var fact in facts.Facts)
                {
                    html.Append("<div><dt>").Append(E(fact.Label)).Append("</dt><dd class=\"").Append(ToneClass(fact.Tone)).Append("\">")
                        .Append(E(fact.Value)).Append("</dd></div>");
                }

                html.Append("</dl>");
                break;
            case Table table:
                RenderTable(html, table);
                break;
            case Funnel funnel:
                RenderFunnel(html, funnel);
                break;
            case Chart chart:
                html.Append("<figure class=\"kb-chart\"><img src=\"").Append(E(charts.PathFor(chart)))
                    .Append("\" alt=\"").Append(E(ReplyFormatting.ChartAltText(chart)))
                    .Append("\" width=\"800\" height=\"400\"><figcaption>").Append(E(chart.Title)).Append("</figcaption></figure>");
                break;
            case CoachingList coaching:
                html.Append("<section class=\"kb-coaching\"><h4>").Append(E(coaching.Title)).Append("</h4><ul>");
                foreach (var item in coaching.Items)
                {
                    html.Append("<li class=\"").Append(ToneClass(item.Tone)).Append("\"><strong>").Append(E(item.Advice))
                        .Append("</strong><span class=\"kb-evidence\">").Append(E(item.Evidence)).Append("</span></li>");
                }

                html.Append("</ul></section>");
                break;
            case Actions actions:
                html.Append("<div class=\"kb-actions\">");
                foreach (var action in actions.Items)
                {
                    html.Append("<button type=\"button\" class=\"kb-action").Append(action.Primary ? " kb-primary" : string.Empty)
                        .Append("\" data-command=\"").Append(E(action.Command)).Append("\">").Append(E(action.Title)).Append("</button>");
                }

                html.Append("</div>");
                break;
            case Form form:
                RenderForm(html, form);
                break;
            case Mentions mentions:
                html.Append("<p class=\"kb-text\">").Append(E(mentions.Lead)).Append(' ')
                    .Append(string.Join(", ", mentions.People.Select(p => "<strong>" + E(p.DisplayName) + "</strong>"))).Append("</p>");
                break;
            default:
                html.Append("<p class=\"kb-text kb-muted\">(This part of the reply can't be shown here.)</p>");
                break;
        }
    }

    private static void RenderTable(StringBuilder html, Table table)
    {
        html.Append("<table class=\"kb-table\"><thead><tr>");
        foreach (var column in table.Columns)
        {
            html.Append("<th scope=\"col\">").Append(E(column)).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (var row in table.Rows)
        {
            html.Append("<tr class=\"").Append(ToneClass(row.Tone)).Append("\">");
            for (var i = 0; i < table.Columns.Count; i++)
            {
                var cell = i < row.Cells.Count ? row.Cells[i] : string.Empty;
                html.Append(i == 0 ? "<th scope=\"row\">" : "<td>").Append(E(cell)).Append(i == 0 ? "</th>" : "</td>");
            }

            html.Append("</tr>");
        }

        if (table.Rows.Count == 0)
        {
            html.Append("<tr><td colspan=\"").Append(Math.Max(1, table.Columns.Count).ToString(Invariant)).Append("\" class=\"kb-muted\">No rows yet.</td></tr>");
        }

        html.Append("</tbody></table>");
    }

    private static void RenderFunnel(StringBuilder html, Funnel funnel)
    {
        html.Append("<section class=\"kb-funnel\"><h4>").Append(E(funnel.Title)).Append("</h4><table class=\"kb-table\"><thead><tr>");
        foreach (var column in ReplyFormatting.FunnelColumns)
        {
            html.Append("<th scope=\"col\">").Append(E(column)).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (var step in funnel.Steps)
        {
            var classes = (step.IsBottleneck ? "kb-bottleneck " : string.Empty) + (step.Flagged ? "kb-flagged" : string.Empty);
            html.Append("<tr class=\"").Append(classes.Trim()).Append("\"><th scope=\"row\">").Append(E(step.Label));
            if (step.IsBottleneck)
            {
                html.Append(" <span class=\"kb-badge kb-attention\">bottleneck</span>");
            }

            html.Append("</th><td>").Append(E(ReplyFormatting.Count(step.Count))).Append("</td><td>").Append(E(ReplyFormatting.Rate(step)));
            if (step.Flagged)
            {
                html.Append(" <span class=\"kb-badge kb-warning\" title=\"More than the previous phase — check the numbers\">⚠ more than previous phase</span>");
            }

            html.Append("</td><td class=\"kb-muted\">").Append(E(ReplyFormatting.Interval(step))).Append("</td></tr>");
        }

        html.Append("</tbody></table>");
        if (!string.IsNullOrWhiteSpace(funnel.Note))
        {
            html.Append("<p class=\"kb-text kb-muted\">").Append(E(funnel.Note)).Append("</p>");
        }

        html.Append("</section>");
    }

    private static void RenderForm(StringBuilder html, Form form)
    {
        html.Append("<form class=\"kb-form\" data-form-id=\"").Append(E(form.FormId)).Append("\"><h4>").Append(E(form.Title)).Append("</h4>");
        foreach (var field in form.Fields)
        {
            var type = field.Kind switch
            {
                FormFieldKind.Number => "number",
                FormFieldKind.Date => "date",
                _ => "text",
            };
            html.Append("<label>").Append(E(field.Label)).Append("<input type=\"").Append(type).Append("\" name=\"").Append(E(field.Id)).Append('"');
            if (field.Kind == FormFieldKind.Number)
            {
                html.Append(" step=\"1\" inputmode=\"numeric\"");
            }

            if (field.Min is { } min)
            {
                html.Append(" min=\"").Append(min.ToString(Invariant)).Append('"');
            }

            if (field.Max is { } max)
            {
                html.Append(" max=\"").Append(max.ToString(Invariant)).Append('"');
            }

            if (field.Placeholder is { } placeholder)
            {
                html.Append(" placeholder=\"").Append(E(placeholder)).Append('"');
            }

            if (field.Value is { } value)
            {
                html.Append(" value=\"").Append(E(value)).Append('"');
            }

            if (field.Required)
            {
                html.Append(" required");
            }

            html.Append("></label>");
        }

        html.Append("<button type=\"submit\" class=\"kb-action kb-primary\">").Append(E(form.SubmitTitle)).Append("</button></form>");
    }

    private static string E(string text) => Encoder.Encode(text);

    private static string ToneClass(Tone tone) => tone switch
    {
        Tone.Good => "kb-good",
        Tone.Warning => "kb-warning",
        Tone.Attention => "kb-attention",
        Tone.Muted => "kb-muted",
        _ => "kb-default",
    };
}
