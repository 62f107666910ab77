namespace KpiBot.Conversation.Parsing;

/// <summary>A message the parser understood entirely. One record per command shape.</summary>
public abstract record ParsedCommand;

/// <summary>One metric and the count logged for it.</summary>
public sealed record MetricValue(string MetricKey, int Value);

/// <summary><c>log booked 5 held 3</c>, <c>Held 2 yesterday</c>, <c>mon booked 3</c>.</summary>
/// <param name="Date">The local day the numbers belong to.</param>
/// <param name="DateGiven">False when no date was typed (today).</param>
public sealed record LogCommand(DateOnly Date, bool DateGiven, IReadOnlyList<MetricValue> Values) : ParsedCommand;

/// <summary>One stage and how many leads are open in it.</summary>
public sealed record StageCount(string StageKey, int Open);

/// <summary><c>pipeline prospecting 12 qualified 5</c>: a snapshot of the open pipeline, for teams that do not track deals.</summary>
/// <param name="Date">The local day of the snapshot.</param>
/// <param name="DateGiven">False when no date was typed (today).</param>
public sealed record PipelineSnapshotCommand(DateOnly Date, bool DateGiven, IReadOnlyList<StageCount> Counts) : ParsedCommand;

/// <summary>A money amount as typed, in whole currency units.</summary>
/// <param name="Currency">ISO 4217 code; the team's currency when none was typed.</param>
/// <param name="CurrencyGiven">True when the message named a currency.</param>
public sealed record Money(decimal Value, string Currency, bool CurrencyGiven);

/// <summary><c>won Acme 120k</c>: close a deal as won (or create a won deal).</summary>
public sealed record WonCommand(string DealName, Money? Amount, DateOnly Date) : ParsedCommand;

/// <summary><c>deal Acme 250k stage proposal close 2027-01-31</c>: a new open deal.</summary>
public sealed record NewDealCommand(string DealName, Money Amount, string? StageKey, DateOnly? ExpectedClose) : ParsedCommand;

/// <summary><c>move Acme to negotiation</c>.</summary>
public sealed record MoveDealCommand(string DealName, string StageKey, DateOnly Date) : ParsedCommand;

/// <summary><c>lost Acme</c>.</summary>
public sealed record LostCommand(string DealName, DateOnly Date) : ParsedCommand;

/// <summary><c>undo</c>.</summary>
public sealed record UndoCommand : ParsedCommand;

/// <summary><c>my week</c>.</summary>
public sealed record MyWeekCommand : ParsedCommand;

/// <summary><c>away until 2026-12-20</c> (from today), or <c>away from D to D</c>.</summary>
public sealed record AwayCommand(DateOnly From, DateOnly To) : ParsedCommand;

/// <summary>Who a question is about.</summary>
public enum SubjectKind
{
    /// <summary>The person asking.</summary>
    Self,
    /// <summary>A named person (resolved loosely by the handler).</summary>
    Person,
    /// <summary>The whole team.</summary>
    Team,
}

/// <summary>Who a question is about; <see cref="Name"/> is the name as typed when <see cref="Kind"/> is Person.</summary>
public sealed record Subject(SubjectKind Kind, string? Name = null)
{
    /// <summary>The person asking.</summary>
    public static Subject Self { get; } = new(SubjectKind.Self);

    /// <summary>The whole team.</summary>
    public static Subject Team { get; } = new(SubjectKind.Team);
}

/// <summary>
/// The period of a question. <see cref="Weeks"/> set: the last N complete weeks before <see cref="To"/>;
/// <see cref="From"/> set: a date range; neither: the team's default window ending at <see cref="To"/> ("as of").
/// </summary>
/// <param name="Text">The period as typed, to repeat in buttons and headings ("last 12 weeks").</param>
public sealed record QuestionPeriod(DateOnly? From, DateOnly To, int? Weeks, string Text);

/// <summary>What a question asks for.</summary>
public enum QuestionKind
{
    /// <summary>Main-statistic trend and state (<c>how am I trending</c>).</summary>
    Trend,
    /// <summary>The KPI set of a person (<c>my stats</c>).</summary>
    Stats,
    /// <summary>Conversion per phase (<c>my funnel</c>).</summary>
    Funnel,
    /// <summary>Open deals per stage over weeks (<c>my pipeline</c>).</summary>
    Pipeline,
    /// <summary>Weighted-pipeline accuracy per period (<c>forecast accuracy</c>).</summary>
    Forecast,
    /// <summary>Everyone's state (<c>team status</c>).</summary>
    TeamStatus,
    /// <summary>The people who need attention first (<c>who needs coaching</c>).</summary>
    Coaching,
}

/// <summary>A question about a person or the team over an optional period.</summary>
public sealed record QuestionCommand(QuestionKind Kind, Subject Subject, QuestionPeriod? Period) : ParsedCommand;

/// <summary><c>help</c> or <c>help logging</c>.</summary>
public sealed record HelpCommand(string? Topic) : ParsedCommand;

/// <summary><c>make @Bob manager</c>.</summary>
public sealed record MakeRoleCommand(string PersonName, Domain.Role Role) : ParsedCommand;

/// <summary><c>timezone Europe/Stockholm</c>.</summary>
public sealed record SetTimeZoneCommand(string TimeZoneId) : ParsedCommand;

/// <summary><c>currency SEK</c>.</summary>
public sealed record SetCurrencyCommand(string Currency) : ParsedCommand;

/// <summary><c>metrics</c>: show the team's statistics.</summary>
public sealed record ShowMetricsCommand : ParsedCommand;

/// <summary><c>stages</c>: show the pipeline stages and probabilities.</summary>
public sealed record ShowStagesCommand : ParsedCommand;

/// <summary><c>set stage proposal 50%</c>.</summary>
public sealed record SetStageProbabilityCommand(string StageKey, double Probability) : ParsedCommand;

/// <summary><c>link Anna Snelling to @anna</c>: attach an imported person to a chat user.</summary>
/// <param name="ChatUser">The chat user as typed (display name, or a platform mention such as <c>&lt;@U123&gt;</c>).</param>
public sealed record LinkPersonCommand(string ImportedName, string ChatUser) : ParsedCommand;

/// <summary><c>demo</c>: fill the workspace with a generated team.</summary>
public sealed record DemoCommand : ParsedCommand;
