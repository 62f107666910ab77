using KpiBot.Cards;
using KpiBot.Conversation.Parsing;
using KpiBot.Conversation.Routing;
using KpiBot.Domain;
using KpiBot.Kpis;
using KpiBot.Replies;
using KpiBot.Storage;

namespace KpiBot.Conversation.Commands;

/// <summary>
/// Loads what the KPI engine needs from the store and turns a question's period into the engine's terms:
/// "last N weeks" sets the windows to N weeks (a trend stays within the method's 6–12), "from D to D" and
/// "in 2017" end at the range's last day with a window covering it, "as of D" moves the day of reckoning.
/// </summary>
internal static class KpiData
{
    public static Team ForPeriod(Team team, QuestionPeriod? period, DateOnly today, out DateOnly asOf, out string? note)
    {
        note = null;
        asOf = today;
        if (period is null)
        {
            return team;
        }
        int? weeks = period.Weeks;
        asOf = period.To > today ? today : period.To;
        if (period.From is { } from)
        {
            weeks = Math.Max(1, (int)Math.Ceiling((asOf.DayNumber - from.DayNumber + 1) / 7.0));
        }
        note = $"Period: {period.Text} (complete weeks up to {Readers.Iso(asOf)}).";
        if (weeks is not { } n)
        {
            return team;
        }
        var trendWeeks = Math.Clamp(n, StatusKpi.MinTrendWeeks, StatusKpi.MaxTrendWeeks);
        if (trendWeeks != n)
        {
            note += $" A status trend uses {StatusKpi.MinTrendWeeks}–{StatusKpi.MaxTrendWeeks} weeks, so the trend covers the last {trendWeeks}.";
        }
        return team with { Settings = team.Settings with { ConversionWeeks = n, TrendWeeks = trendWeeks } };
    }

    public static PersonActivity Person(CommandContext context, Person person, Team team, DateOnly asOf) =>
        KpiActivityLoader.Load(context.Store, team, [person], asOf)[0];

    public static IReadOnlyList<PersonActivity> Team(CommandContext context, Team team, DateOnly asOf) =>
        KpiActivityLoader.Load(context.Store, team, context.Store.ListPeople(context.Workspace.Id, team.Id), asOf);
}

/// <summary>
/// The shared shape of the question commands: resolve who the question is about (loose names, a choice when
/// ambiguous), enforce roles (reps see themselves and team totals, managers their team, admins everyone),
/// compute with the KPI engine and build the card. Person cards are always private replies, so a channel never
/// sees an individual's Crisis or Danger.
/// </summary>
/// <param name="baselines">The cache of team conversion baselines (a person's bottleneck compares against it).</param>
public abstract class QuestionHandler(TeamBaselineCache baselines) : ParsedChatCommand<QuestionCommand>
{
    /// <summary>The question kind this command answers.</summary>
    protected abstract QuestionKind Kind { get; }

    /// <inheritdoc />
    protected override bool Accepts(QuestionCommand parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        return parsed.Kind == Kind;
    }

    /// <inheritdoc />
    protected override Task<BotResponse> HandleAsync(QuestionCommand command, CommandContext context, CancellationToken cancellationToken)
    {
        var team = KpiData.ForPeriod(context.Team, command.Period, context.Today, out var asOf, out var note);
        Reply reply;
        if (command.Subject.Kind == SubjectKind.Team)
        {
            reply = AnswerTeam(context, team, asOf);
        }
        else
        {
            var person = ResolveSubject(context, command.Subject, out var problem);
            if (person is null)
            {
                return Task.FromResult(BotResponse.Of(problem!));
            }
            reply = AnswerPerson(context, team, person, asOf) with { Visibility = ReplyVisibility.Private };
        }
        if (note is not null)
        {
            reply = reply with { Blocks = [.. reply.Blocks, new Paragraph(note, Tone.Muted)] };
        }
        return Task.FromResult(BotResponse.Of(reply));
    }

    /// <summary>The card about one person.</summary>
    protected abstract Reply AnswerPerson(CommandContext context, Team team, Person person, DateOnly asOf);

    /// <summary>The card about the team.</summary>
    protected abstract Reply AnswerTeam(CommandContext context, Team team, DateOnly asOf);

    /// <summary>The person's full report, with the team's conversion so the bottleneck compares against the team.</summary>
    protected PersonKpiReport PersonReport(CommandContext context, Team team, Person person, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(team);
        var teamSize = context.Store.ListPeople(context.Workspace.Id, team.Id).Count;
        var teamConversion = baselines.TeamConversion(context.Store, team, teamSize, asOf, () => KpiData.Team(context, team, asOf));
        var activity = KpiData.Person(context, person, team, asOf);
        return KpiEngine.ComputePerson(team, activity, asOf, teamConversion);
    }

    /// <summary>The team's report.</summary>
    protected static TeamKpiReport TeamReport(CommandContext context, Team team, DateOnly asOf) =>
        KpiEngine.ComputeTeam(team, KpiData.Team(context, team, asOf), asOf);

    /// <summary>A person's card with the buttons for the next question about them appended.</summary>
    protected static Reply WithFollowUps(Reply card, Person person, CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(card);
        return card with { Blocks = [.. card.Blocks, FollowUps(person, context)] };
    }

    /// <summary>Buttons for the next question about the same subject.</summary>
    private static Actions FollowUps(Person person, CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(person);
        ArgumentNullException.ThrowIfNull(context);
        if (person.Id == context.Person.Id)
        {
            return new Actions([new ReplyAction("My trend", "how am I trending"), new ReplyAction("My funnel", "my funnel"), new ReplyAction("My pipeline", "my pipeline"), new ReplyAction("My stats", "my stats")]);
        }
        var name = person.DisplayName;
        return new Actions([new ReplyAction("Trend", $"how is {name} trending"), new ReplyAction("Funnel", $"funnel for {name}"), new ReplyAction("Pipeline", $"pipeline for {name}"), new ReplyAction("Stats", $"stats for {name}")]);
    }

    private static Person? ResolveSubject(CommandContext context, Subject subject, out Reply? problem)
    {
        problem = null;
        if (subject.Kind == SubjectKind.Self)
        {
            return context.Person;
        }
        var typed = subject.Name!;
        var people = context.People();
        Person? person;
        switch (NameMatcher.Match(typed, people))
        {
            case NameMatch.Found found:
                person = found.Person;
                break;
            case NameMatch.Ambiguous ambiguous:
                // A rep may only ask about themselves; don't reveal who else shares the name.
                if (context.Person.Role == Role.Rep)
                {
                    problem = ambiguous.Candidates.Any(c => c.Id == context.Person.Id) ? null : ConversationReplies.OnlyOwnNumbers(typed);
                    return problem is null ? context.Person : null;
                }
                problem = ConversationReplies.ChooseName(typed, ambiguous.Candidates, context.Message.Text);
                return null;
            case NameMatch.NotFound notFound:
                problem = context.Person.Role == Role.Rep ? ConversationReplies.OnlyOwnNumbers(typed) : ConversationReplies.UnknownName(typed, notFound.Suggestions, context.Message.Text);
                return null;
            default:
                throw new InvalidOperationException("Unknown name match.");
        }
        if (person.Id == context.Person.Id)
        {
            return person;
        }
        switch (context.Person.Role)
        {
            case Role.Admin:
                return person;
            case Role.Manager when person.TeamId == context.Person.TeamId || person.ManagerId == context.Person.Id:
                return person;
            case Role.Manager:
                problem = Reply.Text($"{person.DisplayName} is not in your team, so I can't show their numbers. An admin can.", Tone.Warning);
                return null;
            default:
                problem = ConversationReplies.OnlyOwnNumbers(person.DisplayName);
                return null;
        }
    }

    /// <summary>
    /// The team overview as the speaker may see it: managers and admins in a private chat get everyone's state;
    /// in a channel it is the channel-safe version (no one in Crisis or Danger named); a rep sees the team's totals only.
    /// </summary>
    protected static Reply Overview(CommandContext context, TeamKpiReport report)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(report);
        if (context.Person.Role == Role.Rep)
        {
            var safe = KpiCards.TeamOverview(report, channelSafe: true);
            return safe with { Blocks = [.. safe.Blocks.Where(b => b is not Table)] };
        }
        return KpiCards.TeamOverview(report, channelSafe: context.InChannel);
    }
}

/// <summary><c>how am I trending</c>, <c>how is Anna trending</c>, <c>Anna trend</c>: the main-statistic trend card with state and coaching.</summary>
/// <param name="baselines">The team baseline cache.</param>
public sealed class TrendHandler(TeamBaselineCache baselines) : QuestionHandler(baselines)
{
    /// <inheritdoc />
    public override string Name => "trend";

    /// <inheritdoc />
    protected override QuestionKind Kind => QuestionKind.Trend;

    /// <inheritdoc />
    public override CommandDescription Describe() => new("questions", "How you (or someone in your team) are trending: state, slope, significance, coaching.", ["how am I trending", "how is Anna trending", "how's anna doing?", "Anna trend last 10 weeks"]);

    /// <inheritdoc />
    protected override Reply AnswerPerson(CommandContext context, Team team, Person person, DateOnly asOf) =>
        WithFollowUps(KpiCards.Trend(PersonReport(context, team, person, asOf)), person, context);

    /// <inheritdoc />
    protected override Reply AnswerTeam(CommandContext context, Team team, DateOnly asOf) => Overview(context, TeamReport(context, team, asOf));
}

/// <summary><c>my stats</c>, <c>stats for Anna</c>: every KPI of a person in one reply.</summary>
/// <param name="baselines">The team baseline cache.</param>
public sealed class StatsHandler(TeamBaselineCache baselines) : QuestionHandler(baselines)
{
    /// <inheritdoc />
    public override string Name => "stats";

    /// <inheritdoc />
    protected override QuestionKind Kind => QuestionKind.Stats;

    /// <inheritdoc />
    public override CommandDescription Describe() => new("questions", "All your statistics at once: trend, funnel, pipeline, forecast, deal value.", ["my stats", "stats for Anna", "my stats last 12 weeks"]);

    /// <inheritdoc />
    protected override Reply AnswerPerson(CommandContext context, Team team, Person person, DateOnly asOf) =>
        WithFollowUps(KpiCards.PersonStats(PersonReport(context, team, person, asOf), team.Settings.Forecast), person, context);

    /// <inheritdoc />
    protected override Reply AnswerTeam(CommandContext context, Team team, DateOnly asOf) => Overview(context, TeamReport(context, team, asOf));
}

/// <summary><c>my funnel</c>, <c>funnel for Anna last 12 weeks</c>, <c>team funnel</c>: conversion per phase with intervals and the bottleneck.</summary>
/// <param name="baselines">The team baseline cache.</param>
public sealed class FunnelHandler(TeamBaselineCache baselines) : QuestionHandler(baselines)
{
    /// <inheritdoc />
    public override string Name => "funnel";

    /// <inheritdoc />
    protected override QuestionKind Kind => QuestionKind.Funnel;

    /// <inheritdoc />
    public override CommandDescription Describe() => new("questions", "Conversion per phase with 95 % intervals and the bottleneck.", ["my funnel", "funnel for Anna last 12 weeks", "team funnel last 12 weeks"]);

    /// <inheritdoc />
    protected override Reply AnswerPerson(CommandContext context, Team team, Person person, DateOnly asOf) =>
        WithFollowUps(KpiCards.Funnel(person.DisplayName, PersonReport(context, team, person, asOf).Conversion), person, context);

    /// <inheritdoc />
    protected override Reply AnswerTeam(CommandContext context, Team team, DateOnly asOf) =>
        KpiCards.Funnel(team.Name, TeamReport(context, team, asOf).Conversion) with { Visibility = ReplyVisibility.Conversation };
}

/// <summary><c>my pipeline</c>, <c>team pipeline</c>: open deals per stage at each week's end.</summary>
/// <param name="baselines">The team baseline cache.</param>
public sealed class PipelineHandler(TeamBaselineCache baselines) : QuestionHandler(baselines)
{
    /// <inheritdoc />
    public override string Name => "pipeline";

    /// <inheritdoc />
    protected override QuestionKind Kind => QuestionKind.Pipeline;

    /// <inheritdoc />
    public override CommandDescription Describe() => new("questions", "Open deals per stage over the weeks; a shrinking first stage is called out.", ["my pipeline", "pipeline for Anna", "team pipeline"]);

    /// <inheritdoc />
    protected override Reply AnswerPerson(CommandContext context, Team team, Person person, DateOnly asOf) =>
        WithFollowUps(KpiCards.Pipeline(person.DisplayName, PersonReport(context, team, person, asOf).Pipeline, team.Settings.Currency), person, context);

    /// <inheritdoc />
    protected override Reply AnswerTeam(CommandContext context, Team team, DateOnly asOf) =>
        KpiCards.Pipeline(team.Name, TeamReport(context, team, asOf).Pipeline, team.Settings.Currency) with { Visibility = ReplyVisibility.Conversation };
}

/// <summary><c>forecast accuracy</c>: weighted-pipeline forecast against what was won, per closed period.</summary>
/// <param name="baselines">The team baseline cache.</param>
public sealed class ForecastHandler(TeamBaselineCache baselines) : QuestionHandler(baselines)
{
    /// <inheritdoc />
    public override string Name => "forecast";

    /// <inheritdoc />
    protected override QuestionKind Kind => QuestionKind.Forecast;

    /// <inheritdoc />
    public override CommandDescription Describe() => new("questions", "Weighted-pipeline forecast accuracy per month, and how each stage's probability held up.", ["forecast accuracy", "my forecast", "forecast accuracy in 2017"]);

    /// <inheritdoc />
    protected override Reply AnswerPerson(CommandContext context, Team team, Person person, DateOnly asOf) =>
        WithFollowUps(KpiCards.Forecast(person.DisplayName, PersonReport(context, team, person, asOf).Forecast, team.Settings.Forecast, team.Settings.Currency), person, context);

    /// <inheritdoc />
    protected override Reply AnswerTeam(CommandContext context, Team team, DateOnly asOf) =>
        KpiCards.Forecast(team.Name, TeamReport(context, team, asOf).Forecast, team.Settings.Forecast, team.Settings.Currency) with { Visibility = ReplyVisibility.Conversation };
}

/// <summary><c>team</c>, <c>team status</c>: everyone's state, the people who need attention first.</summary>
/// <param name="baselines">The team baseline cache.</param>
public sealed class TeamStatusHandler(TeamBaselineCache baselines) : QuestionHandler(baselines)
{
    /// <inheritdoc />
    public override string Name => "team-status";

    /// <inheritdoc />
    protected override QuestionKind Kind => QuestionKind.TeamStatus;

    /// <inheritdoc />
    public override CommandDescription Describe() => new("team", "The team's totals and everyone's state (managers see each person).", ["team", "team status", "team status as of 2026-10-31"]);

    /// <inheritdoc />
    protected override Reply AnswerPerson(CommandContext context, Team team, Person person, DateOnly asOf) => AnswerTeam(context, team, asOf);

    /// <inheritdoc />
    protected override Reply AnswerTeam(CommandContext context, Team team, DateOnly asOf)
    {
        var overview = Overview(context, TeamReport(context, team, asOf));
        return overview with { Blocks = [.. overview.Blocks, new Actions([new ReplyAction("Who needs coaching", "who needs coaching"), new ReplyAction("Team funnel", "team funnel"), new ReplyAction("Forecast accuracy", "forecast accuracy")])] };
    }
}

/// <summary><c>who needs coaching</c> (managers and admins): the people in Danger and Crisis with their coaching, attention first.</summary>
/// <param name="baselines">The team baseline cache.</param>
public sealed class CoachingHandler(TeamBaselineCache baselines) : QuestionHandler(baselines)
{
    /// <summary>How many people the list shows at most (the rest are in the team overview).</summary>
    public const int MaxPeople = 8;

    /// <inheritdoc />
    public override string Name => "coaching";

    /// <inheritdoc />
    protected override QuestionKind Kind => QuestionKind.Coaching;

    /// <inheritdoc />
    public override CommandDescription Describe() => new("team", "See who needs coaching now and what to do, with the numbers behind it.", ["who needs coaching"], Role.Manager);

    /// <inheritdoc />
    protected override Reply AnswerPerson(CommandContext context, Team team, Person person, DateOnly asOf) => AnswerTeam(context, team, asOf);

    /// <inheritdoc />
    protected override Reply AnswerTeam(CommandContext context, Team team, DateOnly asOf)
    {
        var everyone = KpiData.Team(context, team, asOf);
        var report = KpiEngine.ComputeTeam(team, everyone, asOf);
        var needing = report.People.Where(p => p.State is StatusState.Danger or StatusState.Crisis).Take(MaxPeople).ToList();
        if (needing.Count == 0)
        {
            return new Reply("Nobody is in Crisis or Danger.", [new Heading("Who needs coaching"), new Paragraph("Nobody is in Crisis or Danger right now. Keep reinforcing what works.", Tone.Good)]);
        }
        var blocks = new List<ReplyBlock> { new Heading("Who needs coaching") };
        foreach (var line in needing)
        {
            var activity = everyone.First(a => a.Person.Id == line.PersonId);
            var personReport = KpiEngine.ComputePerson(team, activity, asOf, report.Conversion);
            blocks.Add(new Heading(line.DisplayName, KpiCards.StateBadge(line.State)));
            blocks.Add(KpiCards.Coaching(personReport.Coaching));
        }
        blocks.Add(new Actions(needing.Take(4).Select(p => new ReplyAction($"{p.DisplayName}'s trend", $"how is {p.DisplayName} trending")).ToList()));
        var summary = $"{needing.Count} {(needing.Count == 1 ? "person needs" : "people need")} coaching: " + string.Join(", ", needing.Select(p => p.DisplayName));
        // Always private: this names people in Crisis and Danger.
        return new Reply(summary, blocks, ReplyVisibility.Private);
    }
}
