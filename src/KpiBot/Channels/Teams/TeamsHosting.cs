namespace KpiBot.Channels.Teams;

/// <summary>Registers the Channels.Teams area's services and endpoints.</summary>
public static class TeamsHosting
{
    /// <summary>Adds the Channels.Teams services.</summary>
    public static WebApplicationBuilder AddTeamsChannel(this WebApplicationBuilder builder) => builder;

    /// <summary>Maps the Channels.Teams endpoints.</summary>
    public static WebApplication MapTeamsChannel(this WebApplication app) => app;
}
