using KpiBot.Conversation.Parsing;
using KpiBot.Conversation.Routing;
using KpiBot.Domain;
using KpiBot.Replies;

namespace KpiBot.Conversation.Commands;

/// <summary>
/// <c>help</c> lists the topics with one example each; <c>help logging</c> (or any topic or command name) shows
/// that topic's commands with their examples. Built from every registered command's <see cref="IChatCommand.Describe"/>,
/// so commands other areas add (nudges) appear too. Commands above the speaker's role are left out.
/// </summary>
public sealed class HelpHandler(IServiceProvider services) : ParsedChatCommand<HelpCommand>
{
    private static readonly Dictionary<string, string> TopicSynonyms = new(StringComparer.Ordinal)
    {
        ["log"] = "logging", ["logging"] = "logging", ["numbers"] = "logging", ["undo"] = "logging", ["away"] = "logging",
        ["deal"] = "deals", ["deals"] = "deals", ["won"] = "deals", ["pipeline"] = "deals",
        ["questions"] = "questions", ["asking"] = "questions", ["ask"] = "questions", ["trend"] = "questions", ["stats"] = "questions", ["funnel"] = "questions",
        ["team"] = "team", ["coaching"] = "team", ["manager"] = "team", ["managers"] = "team",
        ["admin"] = "admin", ["settings"] = "admin", ["roles"] = "admin",
        ["dates"] = "dates", ["periods"] = "dates", ["date"] = "dates", ["amounts"] = "dates",
    };

    /// <inheritdoc />
    public override string Name => "help";

    /// <inheritdoc />
    public override CommandDescription Describe() => new("help", "Explain what I understand.", ["help", "help logging", "help deals", "help questions", "help admin"]);

    /// <inheritdoc />
    protected override Task<BotResponse> HandleAsync(HelpCommand command, CommandContext context, CancellationToken cancellationToken)
    {
        // Resolved lazily: the table holds this command, so it can't be a constructor dependency.
        var table = services.GetRequiredService<CommandTable>();
        var visible = table.Commands
            .Select(c => (Command: c, Description: c.Describe()))
            .Where(x => context.Person.Role >= x.Description.MinimumRole && x.Description.Topic != "help")
            .ToList();
        var topics = visible.Select(x => x.Description.Topic).Distinct(StringComparer.Ordinal).ToList();

        if (command.Topic is null)
        {
            var rows = topics.Select(t => new TableRow([t, visible.First(x => x.Description.Topic == t).Description.Examples.FirstOrDefault() ?? string.Empty])).ToList();
            rows.Add(new TableRow(["dates", "held 2 yesterday · funnel for Anna last 12 weeks"]));
            var actions = topics.Take(5).Select(t => new ReplyAction($"Help {t}", $"help {t}")).ToList();
            return Task.FromResult(BotResponse.Of(new Reply("KpiBot help: type \"help logging\", \"help questions\" …",
            [
                new Heading("What I understand"),
                new Paragraph("Log your numbers in one line, ask how you or the team are trending, record deals. Type \"help <topic>\" for examples."),
                new Table(["Topic", "For example"], rows),
                new Actions(actions),
            ])));
        }

        var asked = TextTools.Fold(command.Topic);
        if (asked == "dates" || (TopicSynonyms.TryGetValue(asked, out var mapped) && mapped == "dates"))
        {
            return Task.FromResult(BotResponse.Of(DatesHelp()));
        }
        var topic = TopicSynonyms.GetValueOrDefault(asked)
            ?? topics.FirstOrDefault(t => t == asked)
            ?? visible.FirstOrDefault(x => TextTools.Fold(x.Command.Name) == asked).Description?.Topic;
        if (topic is null)
        {
            var closest = TextTools.Closest(asked, topics.Concat(TopicSynonyms.Keys));
            var text = $"I have no help on \"{command.Topic}\". Topics: {string.Join(", ", topics)}, dates.";
            return Task.FromResult(BotResponse.Of(new Reply(text,
            [
                new Paragraph(text, Tone.Warning),
                new Actions([new ReplyAction(closest is null ? "Help" : $"Help {TopicSynonyms.GetValueOrDefault(closest) ?? closest}", closest is null ? "help" : $"help {TopicSynonyms.GetValueOrDefault(closest) ?? closest}", true)]),
            ])));
        }
        var inTopic = visible.Where(x => x.Description.Topic == topic).ToList();
        if (inTopic.Count == 0)
        {
            return Task.FromResult(BotResponse.Of(Reply.Text($"The {topic} commands are for admins.", Tone.Muted)));
        }
        var blocks = new List<ReplyBlock> { new Heading($"Help: {topic}") };
        foreach (var (_, description) in inTopic)
        {
            blocks.Add(new FactList([new Fact(description.Summary, string.Join("  ·  ", description.Examples))]));
        }
        if (topic == "logging")
        {
            blocks.Add(new Paragraph($"Statistics you can log: {string.Join(", ", context.Team.Metrics.Where(m => m.Source == MetricSource.Logged).Select(m => $"{m.Key} ({string.Join(", ", m.Synonyms.Where(s => s != m.Key).Take(2))})"))}. Deals won and revenue come from \"won …\".", Tone.Muted));
        }
        blocks.Add(new Actions(inTopic.SelectMany(x => x.Description.Examples.Take(1)).Take(4).Select(e => new ReplyAction(e, e)).ToList()));
        return Task.FromResult(BotResponse.Of(new Reply($"Help: {topic}", blocks)));
    }

    private static Reply DatesHelp() => new("Help: dates, periods and amounts",
    [
        new Heading("Help: dates, periods and amounts"),
        new FactList(
        [
            new Fact("Days", "today · yesterday · mon … sun (the most recent one; today's weekday is today) · last friday (a week ago on a Friday) · 2026-12-01"),
            new Fact("Periods", "last 12 weeks · last 3 months · in 2017 · Q4 2017 · from 2026-09-01 to 2026-11-30 · since 2026-09-01 · as of 2026-10-31"),
            new Fact("Amounts", "120k · 1.2M · 120 000 · 120,000 · 120 000 kr · SEK 120000"),
        ]),
        new Paragraph("Dates are in your own time zone (else the team's). Future days are refused for logging.", Tone.Muted),
    ]);
}
