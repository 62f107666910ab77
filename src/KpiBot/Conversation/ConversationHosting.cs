using KpiBot.Conversation.Commands;
using KpiBot.Conversation.Routing;

namespace KpiBot.Conversation;

/// <summary>Registers the Conversation area's services: the bot, the routing table and the built-in commands.</summary>
public static class ConversationHosting
{
    /// <summary>Adds the Conversation services.</summary>
    public static WebApplicationBuilder AddConversation(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddConversation();
        return builder;
    }

    /// <summary>
    /// The same registrations on a bare service collection (tests, the command line). Built-in commands are
    /// registered first, so a built-in wins when another area's command would also take a message.
    /// </summary>
    public static IServiceCollection AddConversation(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddCommandTable();
        services.AddSingleton<Bot>();
        services.AddSingleton<TeamBaselineCache>();
        services.AddSingleton<IBot>(sp => sp.GetRequiredService<Bot>());

        services.AddChatCommand<LogNumbersCommand>();
        services.AddChatCommand<PipelineSnapshotHandler>();
        services.AddChatCommand<UndoHandler>();
        services.AddChatCommand<MyWeekHandler>();
        services.AddChatCommand<AwayHandler>();
        services.AddChatCommand<WonHandler>();
        services.AddChatCommand<NewDealHandler>();
        services.AddChatCommand<MoveDealHandler>();
        services.AddChatCommand<LostHandler>();
        services.AddChatCommand<TrendHandler>();
        services.AddChatCommand<StatsHandler>();
        services.AddChatCommand<FunnelHandler>();
        services.AddChatCommand<PipelineHandler>();
        services.AddChatCommand<ForecastHandler>();
        services.AddChatCommand<TeamStatusHandler>();
        services.AddChatCommand<CoachingHandler>();
        services.AddChatCommand<HelpHandler>();
        services.AddChatCommand<MakeRoleHandler>();
        services.AddChatCommand<TimeZoneHandler>();
        services.AddChatCommand<CurrencyHandler>();
        services.AddChatCommand<MetricsHandler>();
        services.AddChatCommand<StagesHandler>();
        services.AddChatCommand<StageProbabilityHandler>();
        services.AddChatCommand<LinkHandler>();
        services.AddChatCommand<Demo.DemoHandler>();
        return services;
    }
}
