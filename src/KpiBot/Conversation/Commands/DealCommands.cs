using KpiBot.Conversation.Parsing;
using KpiBot.Conversation.Routing;
using KpiBot.Domain;
using KpiBot.Replies;
using KpiBot.Storage;

namespace KpiBot.Conversation.Commands;

/// <summary>Shared steps of the deal commands: finding the speaker's open deal by name and storing a deal change.</summary>
internal static class DealSteps
{
    /// <summary>The one open deal of the speaker that <paramref name="name"/> names, or a reply explaining why not.</summary>
    public static Deal? FindOpenDeal(CommandContext context, string name, string verb, out Reply? problem)
    {
        problem = null;
        var matches = context.Store.FindOpenDealsByName(context.Workspace.Id, context.Person.Id, name);
        if (matches.Count == 1)
        {
            return matches[0];
        }
        if (matches.Count > 1)
        {
            var text = $"You have {matches.Count} open deals called \"{name}\"; I won't guess which one. Close the others first or rename them.";
            problem = Reply.Text(text, Tone.Warning);
            return null;
        }
        var open = context.Store.GetDeals(context.Workspace.Id, [context.Person.Id])
            .Where(d => d.Outcome == DealOutcome.Open)
            .ToList();
        var closest = TextTools.Closest(TextTools.Fold(name), open.Select(d => TextTools.Fold(d.Name)));
        var suggestion = closest is null ? null : open.First(d => TextTools.Fold(d.Name) == closest);
        var message = suggestion is null
            ? $"You have no open deal called \"{name}\". Nothing was stored."
            : $"You have no open deal called \"{name}\". Did you mean {suggestion.Name}? Nothing was stored.";
        var blocks = new List<ReplyBlock> { new Paragraph(message, Tone.Warning) };
        if (suggestion is not null)
        {
            blocks.Add(new Actions([new ReplyAction($"{verb} {suggestion.Name}", ConversationReplies.ReplaceName(context.Message.Text, name, suggestion.Name), true)]));
        }
        problem = new Reply(message, blocks);
        return null;
    }

    public static ApplyResult Store(CommandContext context, Deal deal, string summary) =>
        context.Store.Apply(new ChangeSet(context.Workspace.Id, context.Person.Id, context.Message.SourceId, summary, context.Now, [], [deal], [], []));

    public static string StageName(Team team, string key) =>
        team.Stages.FirstOrDefault(s => s.Key == key)?.DisplayName ?? key;

    public static Reply Confirmation(string text, Deal deal, Team team, bool duplicate, Tone tone = Tone.Good)
    {
        var facts = new List<Fact>
        {
            new("Deal", deal.Name),
            new("Value", ConversationReplies.Money(deal.Value, deal.Currency)),
            new(deal.Outcome == DealOutcome.Open ? "Stage" : "Outcome", deal.Outcome == DealOutcome.Open ? StageName(team, deal.Stage) : deal.Outcome.ToString()),
        };
        if (deal.ExpectedClose is { } expected && deal.Outcome == DealOutcome.Open)
        {
            facts.Add(new Fact("Expected close", Readers.Iso(expected)));
        }
        if (deal.CloseDate is { } closed)
        {
            facts.Add(new Fact("Closed", Readers.Iso(closed)));
            var cycleDays = Math.Max(1, closed.DayNumber - deal.StartDate.DayNumber);
            facts.Add(new Fact("Sales cycle", cycleDays == 1 ? "1 day" : $"{cycleDays} days"));
        }
        var blocks = new List<ReplyBlock> { new Paragraph(text, tone), new FactList(facts) };
        if (duplicate)
        {
            blocks.Add(new Paragraph("I had already stored this message, so nothing was counted twice.", Tone.Muted));
        }
        blocks.Add(new Actions([new ReplyAction("My pipeline", "my pipeline"), new ReplyAction("Undo", "undo")]));
        return new Reply(text, blocks);
    }
}

/// <summary>
/// <c>won Acme 120k</c>: closes the speaker's open deal named Acme as won (keeping its stage history and start, the
/// typed value replacing the pipeline value), or, when there is none, records a new won deal that starts and
/// closes today (a one-day sales cycle). Either way the deal counts once toward deals won and revenue.
/// </summary>
public sealed class WonHandler : ParsedChatCommand<WonCommand>
{
    /// <inheritdoc />
    public override string Name => "won";

    /// <inheritdoc />
    public override CommandDescription Describe() => new("deals", "Record a deal you won (closes your open deal of that name).", ["won Acme 120k", "won Acme 120 000 kr", "won Acme"]);

    /// <inheritdoc />
    protected override Task<BotResponse> HandleAsync(WonCommand command, CommandContext context, CancellationToken cancellationToken)
    {
        var open = context.Store.FindOpenDealsByName(context.Workspace.Id, context.Person.Id, command.DealName);
        if (open.Count > 1)
        {
            return Task.FromResult(BotResponse.Of(Reply.Text($"You have {open.Count} open deals called \"{command.DealName}\"; I won't guess which one was won. Nothing was stored.", Tone.Warning)));
        }
        Deal deal;
        string text;
        if (open.Count == 1)
        {
            var existing = open[0];
            if (command.Date < existing.StartDate)
            {
                return Task.FromResult(BotResponse.Of(Reply.Text($"{existing.Name} started on {Readers.Iso(existing.StartDate)}, so it can't be won on {Readers.Iso(command.Date)}. Nothing was stored.", Tone.Attention)));
            }
            deal = existing with
            {
                Value = command.Amount?.Value ?? existing.Value,
                Outcome = DealOutcome.Won,
                CloseDate = command.Date,
            };
            text = $"Congratulations! {deal.Name} is won: {ConversationReplies.Money(deal.Value, deal.Currency)}, closed from {DealSteps.StageName(context.Team, existing.Stage)}.";
        }
        else
        {
            if (command.Amount is null)
            {
                return Task.FromResult(BotResponse.Of(new Reply(
                    $"You have no open deal called \"{command.DealName}\", so I need its value. Nothing was stored.",
                    [
                        new Paragraph($"You have no open deal called \"{command.DealName}\", so I need its value, like \"won {command.DealName} 120k\". Nothing was stored.", Tone.Warning),
                    ])));
            }
            var lastStage = context.Team.Stages.OrderBy(s => s.Order).LastOrDefault()?.Key ?? "won";
            deal = new Deal(
                Bot.NewId(), context.Workspace.Id, context.Person.Id, command.DealName, command.Amount.Value, context.Team.Settings.Currency,
                lastStage, [new StageChange(lastStage, command.Date)], command.Date, command.Date, DealOutcome.Won, command.Date, null);
            text = $"Congratulations! {deal.Name} is won: {ConversationReplies.Money(deal.Value, deal.Currency)}.";
        }
        var summary = $"won {deal.Name} {ConversationReplies.Money(deal.Value, deal.Currency)} on {Readers.Iso(command.Date)}";
        var result = DealSteps.Store(context, deal, summary);
        return Task.FromResult(BotResponse.Of(DealSteps.Confirmation(text, deal, context.Team, result.Duplicate)));
    }
}

/// <summary><c>deal Acme 250k stage proposal close 2027-01-31</c>: a new open deal starting today.</summary>
public sealed class NewDealHandler : ParsedChatCommand<NewDealCommand>
{
    /// <inheritdoc />
    public override string Name => "deal";

    /// <inheritdoc />
    public override CommandDescription Describe() => new("deals", "Add an open deal to your pipeline.", ["deal Acme 250k stage proposal close 2027-01-31", "deal Nordic Tools 80k"]);

    /// <inheritdoc />
    protected override Task<BotResponse> HandleAsync(NewDealCommand command, CommandContext context, CancellationToken cancellationToken)
    {
        var existing = context.Store.FindOpenDealsByName(context.Workspace.Id, context.Person.Id, command.DealName);
        if (existing.Count > 0)
        {
            var open = existing[0];
            return Task.FromResult(BotResponse.Of(new Reply($"You already have an open deal called {open.Name}. Nothing was stored.",
            [
                new Paragraph($"You already have an open deal called {open.Name} ({DealSteps.StageName(context.Team, open.Stage)}, {ConversationReplies.Money(open.Value, open.Currency)}). Nothing was stored; move it instead.", Tone.Warning),
                new Actions([new ReplyAction($"Move {open.Name} to …", $"move {open.Name} to {context.Team.Stages.OrderBy(s => s.Order).Last().Key}")]),
            ])));
        }
        var stage = command.StageKey ?? context.Team.Stages.OrderBy(s => s.Order).First().Key;
        var deal = new Deal(
            Bot.NewId(), context.Workspace.Id, context.Person.Id, command.DealName, command.Amount.Value, context.Team.Settings.Currency,
            stage, [new StageChange(stage, context.Today)], context.Today, command.ExpectedClose, DealOutcome.Open, null, null);
        var summary = $"new deal {deal.Name} {ConversationReplies.Money(deal.Value, deal.Currency)} in {stage}";
        var result = DealSteps.Store(context, deal, summary);
        var text = $"Added {deal.Name} to your pipeline in {DealSteps.StageName(context.Team, stage)}.";
        var reply = DealSteps.Confirmation(text, deal, context.Team, result.Duplicate, Tone.Default);
        if (deal.ExpectedClose is null)
        {
            reply = reply with { Blocks = [.. reply.Blocks, new Paragraph("Add an expected close date (\"deal … close 2027-01-31\") so the weighted forecast can count it.", Tone.Muted)] };
        }
        return Task.FromResult(BotResponse.Of(reply));
    }
}

/// <summary><c>move Acme to negotiation</c>: the deal enters a stage (its history keeps the earlier stages).</summary>
public sealed class MoveDealHandler : ParsedChatCommand<MoveDealCommand>
{
    /// <inheritdoc />
    public override string Name => "move";

    /// <inheritdoc />
    public override CommandDescription Describe() => new("deals", "Move an open deal to another stage.", ["move Acme to negotiation", "move Acme to won"]);

    /// <inheritdoc />
    protected override Task<BotResponse> HandleAsync(MoveDealCommand command, CommandContext context, CancellationToken cancellationToken)
    {
        var deal = DealSteps.FindOpenDeal(context, command.DealName, "move", out var problem);
        if (deal is null)
        {
            return Task.FromResult(BotResponse.Of(problem!));
        }
        if (deal.Stage == command.StageKey)
        {
            return Task.FromResult(BotResponse.Of(Reply.Text($"{deal.Name} is already in {DealSteps.StageName(context.Team, deal.Stage)}. Nothing changed.", Tone.Muted)));
        }
        var lastChange = deal.History.Count > 0 ? deal.History[^1].Date : deal.StartDate;
        if (command.Date < lastChange)
        {
            return Task.FromResult(BotResponse.Of(Reply.Text($"{deal.Name} last changed stage on {Readers.Iso(lastChange)}; a move must be on that day or later. Nothing was stored.", Tone.Attention)));
        }
        var moved = deal with { Stage = command.StageKey, History = [.. deal.History, new StageChange(command.StageKey, command.Date)] };
        var summary = $"moved {deal.Name} from {deal.Stage} to {command.StageKey}";
        var result = DealSteps.Store(context, moved, summary);
        var text = $"Moved {deal.Name} from {DealSteps.StageName(context.Team, deal.Stage)} to {DealSteps.StageName(context.Team, command.StageKey)}.";
        return Task.FromResult(BotResponse.Of(DealSteps.Confirmation(text, moved, context.Team, result.Duplicate, Tone.Default)));
    }
}

/// <summary><c>lost Acme</c>: the open deal closes as lost.</summary>
public sealed class LostHandler : ParsedChatCommand<LostCommand>
{
    /// <inheritdoc />
    public override string Name => "lost";

    /// <inheritdoc />
    public override CommandDescription Describe() => new("deals", "Mark an open deal as lost.", ["lost Acme"]);

    /// <inheritdoc />
    protected override Task<BotResponse> HandleAsync(LostCommand command, CommandContext context, CancellationToken cancellationToken)
    {
        var deal = DealSteps.FindOpenDeal(context, command.DealName, "lost", out var problem);
        if (deal is null)
        {
            return Task.FromResult(BotResponse.Of(problem!));
        }
        if (command.Date < deal.StartDate)
        {
            return Task.FromResult(BotResponse.Of(Reply.Text($"{deal.Name} started on {Readers.Iso(deal.StartDate)}, so it can't be lost on {Readers.Iso(command.Date)}. Nothing was stored.", Tone.Attention)));
        }
        var lost = deal with { Outcome = DealOutcome.Lost, CloseDate = command.Date };
        var result = DealSteps.Store(context, lost, $"lost {deal.Name}");
        var text = $"{deal.Name} is marked lost. It stays in your close-rate and forecast accuracy.";
        return Task.FromResult(BotResponse.Of(DealSteps.Confirmation(text, lost, context.Team, result.Duplicate, Tone.Default)));
    }
}
