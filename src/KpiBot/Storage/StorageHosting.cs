using KpiBot.Channels;
using KpiBot.Storage.LiteDb;
using Microsoft.Extensions.Options;

namespace KpiBot.Storage;

/// <summary>Registers the Storage area's services.</summary>
public static class StorageHosting
{
    /// <summary>
    /// Adds the Storage services: <see cref="StorageOptions"/> bound from <c>Storage</c> and checked at
    /// start-up, the one <see cref="LiteDbContext"/> of the process, <see cref="IKpiStore"/> (LiteDB behind the activity cache) and
    /// <see cref="IConversationDirectory"/> on it.
    /// </summary>
    public static WebApplicationBuilder AddKpiStorage(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddKpiStorage();
        return builder;
    }

    /// <summary>The same registrations on a bare service collection (the command line uses it).</summary>
    public static IServiceCollection AddKpiStorage(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<StorageOptions>()
            .BindConfiguration(StorageOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        services.AddSingleton(sp => OpenContext(sp.GetRequiredService<IOptions<StorageOptions>>().Value));
        services.AddSingleton<IKpiStore>(sp =>
        {
            var clock = sp.GetRequiredService<TimeProvider>();
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            var store = new LiteDbKpiStore(sp.GetRequiredService<LiteDbContext>(), clock);
            // Every reader and writer of the process shares this one decorated instance, which is what keeps the
            // activity cache fresh (see CachingKpiStore).
            return options.ActivityCacheMegabytes == 0
                ? store
                : new CachingKpiStore(store, clock, options.ActivityCacheMegabytes * 1024L * 1024L);
        });
        services.AddSingleton<IConversationDirectory>(sp => new LiteDbConversationDirectory(sp.GetRequiredService<LiteDbContext>()));
        return services;
    }

    /// <summary>Opens the database the options name (<see cref="StorageOptions.InMemoryPath"/> → in memory).</summary>
    public static LiteDbContext OpenContext(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return string.Equals(options.LiteDbPath, StorageOptions.InMemoryPath, StringComparison.OrdinalIgnoreCase)
            ? LiteDbContext.InMemory()
            : new LiteDbContext(options.LiteDbPath);
    }
}

/// <summary>Start-up check of the <c>Storage</c> section: a provider KpiBot ships and a usable path.</summary>
internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!StorageOptions.Providers.Contains(options.Provider, StringComparer.OrdinalIgnoreCase))
        {
            failures.Add($"Storage:Provider is '{options.Provider}', which KpiBot does not have. Available providers: {string.Join(", ", StorageOptions.Providers)}.");
        }
        if (string.IsNullOrWhiteSpace(options.LiteDbPath))
        {
            failures.Add($"Storage:LiteDbPath is empty; give a file path such as 'data/kpibot.db' (relative to the working directory) or '{StorageOptions.InMemoryPath}'.");
        }
        else if (!string.Equals(options.LiteDbPath, StorageOptions.InMemoryPath, StringComparison.OrdinalIgnoreCase)
            && options.LiteDbPath.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            failures.Add($"Storage:LiteDbPath '{options.LiteDbPath}' contains characters that cannot be in a path.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
