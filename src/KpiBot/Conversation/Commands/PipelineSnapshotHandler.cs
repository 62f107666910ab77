using System.Globalization;
using KpiBot.Conversation.Parsing;
using KpiBot.Conversation.Routing;
using KpiBot.Domain;
using KpiBot.Replies;

namespace KpiBot.Conversation.Commands;

/// <summary>
/// <c>pipeline prospecting 12 qualified 5</c>: a snapshot of the open pipeline for people whose team does not track
/// deals in KpiBot. Stored as entries under the snapshot metrics (<see cref="PipelineSnapshots"/>) in one change set keyed
/// by the platform's message id, so a retried delivery is stored once and <c>undo</c> takes the whole snapshot back.
/// </summary>
public sealed class PipelineSnapshotHandler : ParsedChatCommand<PipelineSnapshotCommand>
{
    /// <inheritdoc />
    public override string Name => "pipeline snapshot";

    /// <inheritdoc />
    public override CommandDescription Describe() => new(
        "logging",
        "Log how many leads are open in each stage, if your team does not record deals.",
        ["pipeline prospecting 12 qualified 5 proposal 3", "pipeline 8 negotiation yesterday"]);

    /// <inheritdoc />
    protected override Task<BotResponse> HandleAsync(PipelineSnapshotCommand command, CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(context);
        var now = context.Now;
        var entries = command.Counts
            .Select(c => new DailyEntry(Bot.NewId(), context.Workspace.Id, context.Person.Id, command.Date, PipelineSnapshots.MetricFor(c.StageKey), c.Open, context.Person.Id, string.Empty, now))
            .ToList();
        var summary = "pipeline " + string.Join(", ", command.Counts.Select(c => $"{c.StageKey} {c.Open}")) + " on " + Readers.Iso(command.Date);
        var result = context.Store.Apply(ChangeSet.Entries(context.Workspace.Id, context.Person.Id, context.Message.SourceId, summary, now, entries));
        return Task.FromResult(BotResponse.Of(Confirmation(command, context, result.Duplicate)));
    }

    private static Reply Confirmation(PipelineSnapshotCommand command, CommandContext context, bool duplicate)
    {
        var heading = $"Pipeline on {ConversationReplies.Day(command.Date)}";
        var stages = context.Team.Stages.OrderBy(s => s.Order).ToList();
        var blocks = new List<ReplyBlock>
        {
            new Heading(heading),
            new FactList(command.Counts
                .OrderBy(c => stages.FindIndex(s => s.Key == c.StageKey))
                .Select(c => new Fact(stages.First(s => s.Key == c.StageKey).DisplayName, c.Open.ToString(CultureInfo.InvariantCulture)))
                .ToList()),
        };
        if (duplicate)
        {
            blocks.Add(new Paragraph("I had already stored this message, so nothing was counted twice.", Tone.Muted));
        }
        var openDeals = context.Store.GetDeals(context.Workspace.Id, [context.Person.Id], context.Today).Any(d => d.Outcome == DealOutcome.Open);
        blocks.Add(new Paragraph(openDeals
            ? "You also have open deals in KpiBot, so your pipeline card counts those; snapshots count for weeks with no deal open."
            : "Each stage keeps this count until your next snapshot; your pipeline card shows the count at the end of each week.", Tone.Muted));
        blocks.Add(new Actions([new ReplyAction("My pipeline", "my pipeline"), new ReplyAction("Undo", "undo")]));
        var text = $"{heading}: " + string.Join(", ", command.Counts.Select(c => $"{c.StageKey} {c.Open}"));
        return new Reply(text, blocks);
    }
}
