using System.Globalization;
using KpiBot.Conversation.Parsing;
using KpiBot.Conversation.Routing;
using KpiBot.Domain;
using KpiBot.Kpis;
using KpiBot.Replies;

namespace KpiBot.Conversation.Commands;

/// <summary>Shared steps of the admin commands.</summary>
internal static class AdminSteps
{
    public static Task<BotResponse> SaveTeam(CommandContext context, Team updated, string summary, string text)
    {
        var result = context.Store.Apply(new ChangeSet(context.Workspace.Id, context.Person.Id, context.Message.SourceId, summary, context.Now, [], [], [], [updated]));
        return Task.FromResult(BotResponse.Of(new Reply(text,
        [
            new Paragraph(text, Tone.Good),
            new Paragraph(result.Duplicate ? "(I had this message already; stored once.)" : "Type \"undo\" to change it back.", Tone.Muted),
        ])));
    }

    /// <summary>Resolves a typed name to one person of the workspace, or a reply (choice / did you mean).</summary>
    public static Person? Resolve(CommandContext context, string typed, IReadOnlyList<Person> people, out Reply? problem)
    {
        problem = null;
        switch (NameMatcher.Match(typed, people))
        {
            case NameMatch.Found found:
                return found.Person;
            case NameMatch.Ambiguous ambiguous:
                problem = ConversationReplies.ChooseName(typed, ambiguous.Candidates, context.Message.Text);
                return null;
            case NameMatch.NotFound notFound:
                problem = ConversationReplies.UnknownName(typed, notFound.Suggestions, context.Message.Text);
                return null;
            default:
                throw new InvalidOperationException("Unknown name match.");
        }
    }
}

/// <summary><c>make @Bob manager</c>: changes a person's role (admins only; the last admin stays).</summary>
public sealed class MakeRoleHandler : ParsedChatCommand<MakeRoleCommand>
{
    /// <inheritdoc />
    public override string Name => "make-role";

    /// <inheritdoc />
    public override CommandDescription Describe() => new("admin", "Change roles.", ["make @Bob manager", "make Anna admin", "make Bob rep"], Role.Admin);

    /// <inheritdoc />
    protected override Task<BotResponse> HandleAsync(MakeRoleCommand command, CommandContext context, CancellationToken cancellationToken)
    {
        var people = context.People();
        var person = AdminSteps.Resolve(context, command.PersonName, people, out var problem);
        if (person is null)
        {
            return Task.FromResult(BotResponse.Of(problem!));
        }
        if (person.Role == command.Role)
        {
            return Task.FromResult(BotResponse.Of(Reply.Text($"{person.DisplayName} is already {RoleName(command.Role)}. Nothing changed.", Tone.Muted)));
        }
        if (person.Role == Domain.Role.Admin && people.Count(p => p.Role == Domain.Role.Admin) == 1)
        {
            return Task.FromResult(BotResponse.Of(Reply.Text($"{person.DisplayName} is the only admin; make someone else admin first so the workspace keeps one.", Tone.Warning)));
        }
        var updated = person with { Role = command.Role };
        var summary = $"{person.DisplayName} made {command.Role.ToString().ToLowerInvariant()}";
        var result = context.Store.Apply(new ChangeSet(context.Workspace.Id, context.Person.Id, context.Message.SourceId, summary, context.Now, [], [], [updated], []));
        var text = $"{person.DisplayName} is now {RoleName(command.Role)}.";
        var what = command.Role switch
        {
            Domain.Role.Manager => " They can ask about everyone in their team.",
            Domain.Role.Admin => " They can change settings and roles.",
            _ => " They see their own numbers and the team's totals.",
        };
        return Task.FromResult(BotResponse.Of(new Reply(text, [new Paragraph(text + what, Tone.Good), new Paragraph(result.Duplicate ? "(stored once)" : "Type \"undo\" to change it back.", Tone.Muted)])));
    }

    private static string RoleName(Role role) => role == Domain.Role.Admin ? "an admin" : $"a {role.ToString().ToLowerInvariant()}";
}

/// <summary><c>timezone Europe/Stockholm</c>: the team's zone (weeks are ISO weeks in it).</summary>
public sealed class TimeZoneHandler : ParsedChatCommand<SetTimeZoneCommand>
{
    /// <inheritdoc />
    public override string Name => "timezone";

    /// <inheritdoc />
    public override CommandDescription Describe() => new("admin", "Set the team's time zone.", ["timezone Europe/Stockholm"], Role.Admin);

    /// <inheritdoc />
    protected override Task<BotResponse> HandleAsync(SetTimeZoneCommand command, CommandContext context, CancellationToken cancellationToken)
    {
        var team = context.Team with { Settings = context.Team.Settings with { TimeZoneId = command.TimeZoneId } };
        return AdminSteps.SaveTeam(context, team, $"time zone {context.Team.Settings.TimeZoneId} → {command.TimeZoneId}",
            $"The team's time zone is now {command.TimeZoneId}; weeks run Monday to Sunday there.");
    }
}

/// <summary><c>currency SEK</c>: the team's currency (amounts are not converted).</summary>
public sealed class CurrencyHandler : ParsedChatCommand<SetCurrencyCommand>
{
    /// <inheritdoc />
    public override string Name => "currency";

    /// <inheritdoc />
    public override CommandDescription Describe() => new("admin", "Set the team's currency.", ["currency SEK", "currency EUR"], Role.Admin);

    /// <inheritdoc />
    protected override Task<BotResponse> HandleAsync(SetCurrencyCommand command, CommandContext context, CancellationToken cancellationToken)
    {
        var team = context.Team with { Settings = context.Team.Settings with { Currency = command.Currency } };
        return AdminSteps.SaveTeam(context, team, $"currency {context.Team.Settings.Currency} → {command.Currency}",
            $"The team's currency is now {command.Currency}. Deals already stored keep their amounts; nothing is converted.");
    }
}

/// <summary><c>metrics</c>: the team's statistics by kind, with a warning when the set leaves the method's bounds.</summary>
public sealed class MetricsHandler : ParsedChatCommand<ShowMetricsCommand>
{
    /// <inheritdoc />
    public override string Name => "metrics";

    /// <inheritdoc />
    public override CommandDescription Describe() => new("admin", "Show the team's statistics (main, sub and key).", ["metrics"]);

    /// <inheritdoc />
    protected override Task<BotResponse> HandleAsync(ShowMetricsCommand command, CommandContext context, CancellationToken cancellationToken)
    {
        var rows = context.Team.Metrics
            .OrderBy(m => m.Kind)
            .ThenBy(m => m.Phase ?? int.MaxValue)
            .Select(m => new TableRow([m.DisplayName, m.Kind.ToString().ToLowerInvariant(), m.Source == MetricSource.Logged ? string.Join(", ", m.Synonyms.Prepend(m.Key).Distinct().Take(4)) : Source(m.Source)]))
            .ToList();
        var check = MetricSetRules.Check(context.Team.Metrics);
        var blocks = new List<ReplyBlock>
        {
            new Heading($"Statistics of {context.Team.Name}"),
            new Table(["Statistic", "Kind", "Type it as"], rows),
            new Paragraph($"{check.Total} statistics: {check.Main} main, {check.Sub} sub, {check.Key} key.", check.WithinBounds ? Tone.Muted : Tone.Warning),
        };
        blocks.AddRange(check.Warnings.Select(w => new Paragraph(w, Tone.Warning)));
        return Task.FromResult(BotResponse.Of(new Reply($"{context.Team.Name} tracks {check.Total} statistics.", blocks)));
    }

    private static string Source(MetricSource source) => source == MetricSource.Deals ? "from deals (won Acme 120k)" : "computed";
}

/// <summary><c>stages</c>: the pipeline stages and the probability the forecast gives each.</summary>
public sealed class StagesHandler : ParsedChatCommand<ShowStagesCommand>
{
    /// <inheritdoc />
    public override string Name => "stages";

    /// <inheritdoc />
    public override CommandDescription Describe() => new("admin", "Show the pipeline stages and their forecast probabilities.", ["stages"]);

    /// <inheritdoc />
    protected override Task<BotResponse> HandleAsync(ShowStagesCommand command, CommandContext context, CancellationToken cancellationToken)
    {
        var rows = context.Team.Stages
            .OrderBy(s => s.Order)
            .Select(s => new TableRow([s.Order.ToString(CultureInfo.InvariantCulture), s.DisplayName, Percent(s.Probability), string.Join(", ", s.Synonyms.Prepend(s.Key).Distinct().Take(4))]))
            .ToList();
        return Task.FromResult(BotResponse.Of(new Reply($"{context.Team.Name} has {rows.Count} pipeline stages.",
        [
            new Heading("Pipeline stages"),
            new Table(["#", "Stage", "Probability", "Type it as"], rows),
            new Paragraph("An admin changes a probability with \"set stage proposal 50%\".", Tone.Muted),
        ])));
    }

    internal static string Percent(double probability) => (probability * 100).ToString("0.#", CultureInfo.InvariantCulture) + " %";
}

/// <summary><c>set stage proposal 50%</c>.</summary>
public sealed class StageProbabilityHandler : ParsedChatCommand<SetStageProbabilityCommand>
{
    /// <inheritdoc />
    public override string Name => "set-stage";

    /// <inheritdoc />
    public override CommandDescription Describe() => new("admin", "Set a stage's forecast probability.", ["set stage proposal 50%"], Role.Admin);

    /// <inheritdoc />
    protected override Task<BotResponse> HandleAsync(SetStageProbabilityCommand command, CommandContext context, CancellationToken cancellationToken)
    {
        var stage = context.Team.Stages.First(s => s.Key == command.StageKey);
        var stages = context.Team.Stages.Select(s => s.Key == command.StageKey ? s with { Probability = command.Probability } : s).ToList();
        var team = context.Team with { Stages = stages };
        return AdminSteps.SaveTeam(context, team, $"stage {stage.Key} {StagesHandler.Percent(stage.Probability)} → {StagesHandler.Percent(command.Probability)}",
            $"{stage.DisplayName} now counts {StagesHandler.Percent(command.Probability)} in the weighted forecast (was {StagesHandler.Percent(stage.Probability)}).");
    }
}

/// <summary>
/// <c>link Anna Snelling to @anna</c>: gives a person created by a CRM import (no chat user) the chat identity of a
/// user, so their imported deals and what they log in chat are one person. The chat user is a mention
/// (<c>&lt;@U123&gt;</c>) or the name of someone who has already talked to KpiBot.
/// </summary>
public sealed class LinkHandler : ParsedChatCommand<LinkPersonCommand>
{
    /// <inheritdoc />
    public override string Name => "link";

    /// <inheritdoc />
    public override CommandDescription Describe() => new("admin", "Link an imported person to a chat user.", ["link Anna Snelling to @anna"], Role.Admin);

    /// <inheritdoc />
    protected override Task<BotResponse> HandleAsync(LinkPersonCommand command, CommandContext context, CancellationToken cancellationToken)
    {
        var people = context.People();
        var imported = AdminSteps.Resolve(context, command.ImportedName, people.Where(p => p.PlatformUserId is null).ToList(), out var problem);
        if (imported is null)
        {
            return Task.FromResult(BotResponse.Of(problem!));
        }
        var mentioned = NameMatcher.MentionedUserId(command.ChatUser);
        Person? chatPerson = null;
        string userId;
        if (mentioned is not null)
        {
            userId = mentioned;
            chatPerson = people.FirstOrDefault(p => string.Equals(p.PlatformUserId, mentioned, StringComparison.OrdinalIgnoreCase));
        }
        else
        {
            chatPerson = AdminSteps.Resolve(context, command.ChatUser, people.Where(p => p.PlatformUserId is not null).ToList(), out problem);
            if (chatPerson is null)
            {
                return Task.FromResult(BotResponse.Of(problem!));
            }
            userId = chatPerson.PlatformUserId!;
        }
        var changed = new List<Person>
        {
            imported with
            {
                PlatformUserId = userId,
                Role = chatPerson is not null && chatPerson.Role > imported.Role ? chatPerson.Role : imported.Role,
                TimeZoneId = imported.TimeZoneId ?? chatPerson?.TimeZoneId,
            },
        };
        var note = string.Empty;
        if (chatPerson is not null)
        {
            // The chat profile lets go of the chat user; what it logged stays under it (shown as its own person).
            changed.Add(chatPerson with { PlatformUserId = null, Role = Domain.Role.Rep, DisplayName = chatPerson.DisplayName + " (before linking)" });
            note = $" What {chatPerson.DisplayName} logged before the link stays under \"{chatPerson.DisplayName} (before linking)\".";
        }
        var summary = $"linked {imported.DisplayName} to chat user {userId}";
        var result = context.Store.Apply(new ChangeSet(context.Workspace.Id, context.Person.Id, context.Message.SourceId, summary, context.Now, [], [], changed, []));
        var text = $"{imported.DisplayName} is now linked to that chat user: their imported deals and what they log in chat are one person.{note}";
        return Task.FromResult(BotResponse.Of(new Reply(text, [new Paragraph(text, Tone.Good), new Paragraph(result.Duplicate ? "(stored once)" : "Type \"undo\" to undo the link.", Tone.Muted)])));
    }
}
