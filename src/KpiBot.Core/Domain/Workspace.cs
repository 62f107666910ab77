namespace KpiBot.Domain;

/// <summary>The chat platform a workspace lives on. Nothing ever crosses workspaces.</summary>
public enum Platform
{
    /// <summary>The local chat page and the command line.</summary>
    Local,
    /// <summary>Microsoft Teams; the workspace id is the Microsoft 365 tenant id.</summary>
    Teams,
    /// <summary>Slack; the workspace id is the Slack team_id.</summary>
    Slack,
}

/// <summary>One Slack team or one Microsoft 365 tenant: the boundary of all data.</summary>
/// <param name="Id">Platform-qualified id, e.g. <c>slack:T0123</c>, <c>teams:&lt;tenant&gt;</c>, <c>local:demo</c>.</param>
public sealed record Workspace(string Id, Platform Platform, string Name, DateTimeOffset CreatedAt)
{
    /// <summary>
    /// The name a workspace gets when KpiBot first meets it without a better one: a local workspace is named by what
    /// follows "local:" (<c>local:maven</c> → "maven"); a platform id means nothing to people, so it is left empty
    /// and the store names the default team "Sales".
    /// </summary>
    public static string FirstContactName(string workspaceId, Platform platform)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        var separator = workspaceId.IndexOf(':', StringComparison.Ordinal);
        return platform == Platform.Local && separator >= 0 ? workspaceId[(separator + 1)..] : "";
    }
}
