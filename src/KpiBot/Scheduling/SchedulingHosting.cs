using KpiBot.Channels;
using KpiBot.Conversation.Routing;
using KpiBot.Storage;
using KpiBot.Storage.LiteDb;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace KpiBot.Scheduling;

/// <summary>Registers the Scheduling area's services: schedules, outbox, planner, dispatcher, commands and the background loop.</summary>
public static class SchedulingHosting
{
    /// <summary>Adds the Scheduling services.</summary>
    public static WebApplicationBuilder AddScheduling(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScheduling();
        return builder;
    }

    /// <summary>The same registrations on a bare service collection (tests, the command line).</summary>
    public static IServiceCollection AddScheduling(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<NudgeOptions>()
            .BindConfiguration(NudgeOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // The storage area (AddKpiStorage) owns the one LiteDbContext, the KPI store and the conversation directory.
        services.TryAddSingleton<INudgeStore>(sp => new LiteDbNudgeStore(sp.GetRequiredService<LiteDbContext>()));
        services.TryAddSingleton<IOutbox>(sp => new LiteDbOutbox(sp.GetRequiredService<LiteDbContext>()));
        services.TryAddSingleton(sp => new OutboundRateLimiter(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<NudgeOptions>>().Value.RateLimitMargin));

        // Factories (not constructor injection) for the parts that need other areas' services, so the host
        // starts and says "nudges are off" instead of failing while the store or the directory is not wired.
        services.TryAddSingleton(sp => CreateDispatcher(sp)!);
        services.TryAddSingleton(sp => CreatePlanner(sp)!);
        services.TryAddSingleton(sp => new NudgeCommands(
            sp.GetRequiredService<IKpiStore>(), sp.GetRequiredService<INudgeStore>(), sp.GetRequiredService<IConversationDirectory>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<INudgeCommands>(sp => sp.GetRequiredService<NudgeCommands>());
        services.TryAddSingleton(sp => CreateDefaultNudgeSetup(sp)!);
        services.AddChatCommand<NudgeChatCommand>();
        services.AddChatCommand<ReminderChatCommand>();
        services.AddSingleton(sp => new NudgeScheduler(
            () => sp.GetService<NudgePlanner>(),
            () => sp.GetService<OutboxDispatcher>(),
            () => sp.GetService<IOutbox>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<NudgeOptions>>(),
            sp.GetRequiredService<ILogger<NudgeScheduler>>()));
        services.AddHostedService(sp => sp.GetRequiredService<NudgeScheduler>());
        return services;
    }

    private static OutboxDispatcher? CreateDispatcher(IServiceProvider sp) =>
        sp.GetService<IConversationDirectory>() is { } directory
            ? new OutboxDispatcher(
                sp.GetRequiredService<IOutbox>(), directory, sp.GetServices<IProactiveSender>(), sp.GetRequiredService<OutboundRateLimiter>(),
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<NudgeOptions>>(), sp.GetRequiredService<ILogger<OutboxDispatcher>>())
            : null;

    private static DefaultNudgeSetup? CreateDefaultNudgeSetup(IServiceProvider sp) =>
        sp.GetService<IKpiStore>() is { } store
            ? new DefaultNudgeSetup(store, sp.GetRequiredService<INudgeStore>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<DefaultNudgeSetup>>())
            : null;

    private static NudgePlanner? CreatePlanner(IServiceProvider sp) =>
        sp.GetService<IKpiStore>() is { } store && sp.GetService<IConversationDirectory>() is { } directory
            ? new NudgePlanner(
                sp.GetRequiredService<INudgeStore>(), store, directory, sp.GetRequiredService<IOutbox>(), new NudgeContentBuilder(store),
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<NudgeOptions>>(), sp.GetRequiredService<ILogger<NudgePlanner>>())
            : null;
}
