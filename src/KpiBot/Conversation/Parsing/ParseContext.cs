using KpiBot.Domain;

namespace KpiBot.Conversation.Parsing;

/// <summary>
/// What the parser needs to know about the speaker and their team: the local today (dates are relative to
/// it), the team's statistics and stages (their synonyms are the words people may type), the currency and
/// the largest believable daily count.
/// </summary>
public sealed record ParseContext(
    DateOnly Today,
    IReadOnlyList<MetricDefinition> Metrics,
    IReadOnlyList<StageDefinition> Stages,
    string Currency,
    int MaxDailyCount)
{
    /// <summary>The context for a member of <paramref name="team"/> whose local date is <paramref name="today"/>.</summary>
    public static ParseContext For(Team team, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(team);
        return new(today, team.Metrics, team.Stages, team.Settings.Currency, team.Settings.MaxDailyCount);
    }

    /// <summary>The default statistics, stages and settings (tests, the command line).</summary>
    public static ParseContext Default(DateOnly today) =>
        new(today, Defaults.Metrics, Defaults.Stages, TeamSettings.Default.Currency, TeamSettings.Default.MaxDailyCount);
}
