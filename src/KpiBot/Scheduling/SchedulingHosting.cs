using KpiBot.Channels;
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
        builder.Services.AddOptions<NudgeOptions>()
            .BindConfiguration(NudgeOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // The storage area owns the one database; this only opens it when nobody registered it before.
        builder.Services.TryAddSingleton(sp => new LiteDbContext(sp.GetRequiredService<IOptions<StorageOptions>>().Value.LiteDbPath));
        builder.Services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section);

        builder.Services.TryAddSingleton<INudgeStore>(sp => new LiteDbNudgeStore(sp.GetRequiredService<LiteDbContext>()));
        builder.Services.TryAddSingleton<IOutbox>(sp => new LiteDbOutbox(sp.GetRequiredService<LiteDbContext>()));
        builder.Services.TryAddSingleton(sp => new OutboundRateLimiter(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<NudgeOptions>>().Value.RateLimitMargin));

        // Factories (not constructor injection) for the parts that need other areas' services, so the host
        // starts and says "nudges are off" instead of failing while the store or the directory is not wired.
        builder.Services.TryAddSingleton(sp => CreateDispatcher(sp)!);
        builder.Services.TryAddSingleton(sp => CreatePlanner(sp)!);
        builder.Services.TryAddSingleton<INudgeCommands>(sp => new NudgeCommands(
            sp.GetRequiredService<IKpiStore>(), sp.GetRequiredService<INudgeStore>(), sp.GetRequiredService<IConversationDirectory>(), sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton(sp => new NudgeScheduler(
            () => sp.GetService<NudgePlanner>(),
            () => sp.GetService<OutboxDispatcher>(),
            () => sp.GetService<IOutbox>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<NudgeOptions>>(),
            sp.GetRequiredService<ILogger<NudgeScheduler>>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<NudgeScheduler>());
        return builder;
    }

    private static OutboxDispatcher? CreateDispatcher(IServiceProvider sp) =>
        sp.GetService<IConversationDirectory>() is { } directory
            ? new OutboxDispatcher(
                sp.GetRequiredService<IOutbox>(), directory, sp.GetServices<IProactiveSender>(), sp.GetRequiredService<OutboundRateLimiter>(),
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<NudgeOptions>>(), sp.GetRequiredService<ILogger<OutboxDispatcher>>())
            : null;

    private static NudgePlanner? CreatePlanner(IServiceProvider sp) =>
        sp.GetService<IKpiStore>() is { } store && sp.GetService<IConversationDirectory>() is { } directory
            ? new NudgePlanner(
                sp.GetRequiredService<INudgeStore>(), store, directory, sp.GetRequiredService<IOutbox>(), new NudgeContentBuilder(store),
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<NudgeOptions>>(), sp.GetRequiredService<ILogger<NudgePlanner>>())
            : null;
}
