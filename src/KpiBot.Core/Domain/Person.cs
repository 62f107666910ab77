namespace KpiBot.Domain;

/// <summary>What a person may see and change.</summary>
public enum Role
{
    /// <summary>Logs own numbers and deals; sees own statistics and the team's totals.</summary>
    Rep,
    /// <summary>Everything a rep can, plus every person in their team.</summary>
    Manager,
    /// <summary>Team settings, roles and schedules. The installer is the first admin.</summary>
    Admin,
}

/// <summary>A closed range of local dates during which a person is away: left out of trends, not zero.</summary>
public sealed record AwayPeriod(DateOnly From, DateOnly To)
{
    /// <summary>True when <paramref name="date"/> lies inside the period (both ends included).</summary>
    public bool Contains(DateOnly date) => date >= From && date <= To;
}

/// <summary>A salesperson, manager or admin of a workspace.</summary>
/// <param name="Id">Stable id inside the workspace (not the platform user id).</param>
/// <param name="PlatformUserId">The chat user id (Slack <c>U…</c>, Teams <c>aadObjectId</c>); null for people created by a CRM import until linked.</param>
/// <param name="TimeZoneId">IANA zone of the person; null means the team's zone.</param>
/// <param name="ManagerId">The person's manager, when known (e.g. from a CRM's sales_teams file).</param>
public sealed record Person(
    string Id,
    string WorkspaceId,
    string TeamId,
    string DisplayName,
    Role Role,
    string? PlatformUserId,
    string? TimeZoneId,
    IReadOnlyList<AwayPeriod> Away,
    string? ManagerId,
    DateTimeOffset CreatedAt)
{
    /// <summary>True when the person is marked away on <paramref name="date"/>.</summary>
    public bool IsAwayOn(DateOnly date) => Away.Any(a => a.Contains(date));
}
