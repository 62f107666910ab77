namespace KpiBot.Channels.DevChat;

/// <summary>Registers the Channels.DevChat area's services and endpoints.</summary>
public static class DevChatHosting
{
    /// <summary>Adds the Channels.DevChat services.</summary>
    public static WebApplicationBuilder AddDevChat(this WebApplicationBuilder builder) => builder;

    /// <summary>Maps the Channels.DevChat endpoints.</summary>
    public static WebApplication MapDevChat(this WebApplication app) => app;
}
