namespace KpiBot.Domain;

/// <summary>Well-known team ids.</summary>
public static class TeamIds
{
    /// <summary>
    /// The team every workspace gets when KpiBot first sees it (<c>IKpiStore.EnsureWorkspace</c>);
    /// people land here until an admin creates other teams, and a CRM import without <c>--team</c> uses it.
    /// </summary>
    public const string Default = "default";
}
