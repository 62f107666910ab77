using KpiBot.Conversation.Commands;
using KpiBot.Conversation.Parsing;
using KpiBot.Conversation.Routing;
using KpiBot.Domain;
using KpiBot.Replies;

namespace KpiBot.Conversation.Demo;

/// <summary>
/// <c>demo</c> (admins): fills the workspace with the generated <see cref="DemoTeam"/> as one change, so one
/// <c>undo</c> removes it again.
/// </summary>
public sealed class DemoHandler : ParsedChatCommand<DemoCommand>
{
    /// <inheritdoc />
    public override string Name => "demo";

    /// <inheritdoc />
    public override CommandDescription Describe() => new("admin", "Fill this workspace with a generated demo team (one undo removes it).", ["demo"], Role.Admin);

    /// <inheritdoc />
    protected override Task<BotResponse> HandleAsync(DemoCommand command, CommandContext context, CancellationToken cancellationToken)
    {
        if (context.Store.FindPerson(context.Workspace.Id, DemoTeam.IdPrefix + DemoTeam.Profiles[0].Key) is not null)
        {
            return Task.FromResult(BotResponse.Of(new Reply("The demo team is already here.",
            [
                new Paragraph("The demo team is already in this workspace. Ask \"team status\" to see it; an admin's \"undo\" right after \"demo\" removes it.", Tone.Muted),
                new Actions([new ReplyAction("Team status", "team status", true)]),
            ])));
        }
        var generated = DemoTeam.Generate(context.Workspace.Id, context.Team, context.Today, context.Person.Id, context.Now);
        var weeks = DemoTeam.Weeks;
        var summary = $"demo team: {generated.People.Count} people, {weeks} weeks, {generated.Entries.Count} entries, {generated.Deals.Count} deals";
        context.Store.Apply(new ChangeSet(context.Workspace.Id, context.Person.Id, context.Message.SourceId, summary, context.Now, generated.Entries, generated.Deals, generated.People, []));
        var text = $"The demo team is here: {generated.People.Count} people with {weeks} weeks of numbers and {generated.Deals.Count} deals.";
        return Task.FromResult(BotResponse.Of(new Reply(text,
        [
            new Heading("Demo team ready"),
            new Paragraph(text),
            new Paragraph("David is in sharp decline (Danger), Elin and Hassan are stagnating (Crisis), Fredrik loses leads between held meetings and qualification, Greta was away a week, Ida is new. Type \"undo\" to remove it all.", Tone.Muted),
            new Actions(
            [
                new ReplyAction("Team status", "team status", true),
                new ReplyAction("Who needs coaching", "who needs coaching"),
                new ReplyAction("How is David trending", "how is David trending"),
                new ReplyAction("Funnel for Fredrik", "funnel for Fredrik"),
                new ReplyAction("Forecast accuracy", "forecast accuracy"),
            ]),
        ])));
    }
}
