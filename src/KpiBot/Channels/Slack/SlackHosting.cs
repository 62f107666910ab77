namespace KpiBot.Channels.Slack;

/// <summary>Registers the Channels.Slack area's services and endpoints.</summary>
public static class SlackHosting
{
    /// <summary>Adds the Channels.Slack services.</summary>
    public static WebApplicationBuilder AddSlackChannel(this WebApplicationBuilder builder) => builder;

    /// <summary>Maps the Channels.Slack endpoints.</summary>
    public static WebApplication MapSlackChannel(this WebApplication app) => app;
}
