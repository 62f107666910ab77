using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using KpiBot.Channels;
using KpiBot.Conversation;
using KpiBot.Domain;
using KpiBot.Storage;
using KpiBot.Storage.LiteDb;
using Microsoft.Extensions.Options;

namespace KpiBot.Tests.Storage;

public sealed class StorageHostingTests
{
    private static WebApplication Build(params (string Key, string Value)[] settings)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddKpiStorage();
        return builder.Build();
    }

    [Fact]
    public async Task An_unknown_provider_stops_start_up_and_names_the_providers_that_exist()
    {
        await using var app = Build(("Storage:Provider", "Postgres"), ("Storage:LiteDbPath", StorageOptions.InMemoryPath));
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("'Postgres'", error.Message);
        Assert.Contains("Available providers: LiteDb", error.Message);
    }

    [Fact]
    public async Task An_empty_path_stops_start_up_with_an_example_of_a_good_one()
    {
        await using var app = Build(("Storage:Provider", "LiteDb"), ("Storage:LiteDbPath", " "));
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("data/kpibot.db", error.Message);
    }

    [Fact]
    public void The_store_and_the_conversation_directory_share_one_database_file()
    {
        var dir = Path.Combine(Path.GetTempPath(), "kpibot-tests", Guid.NewGuid().ToString("N"));
        var file = Path.Combine(dir, "bot.db");
        using (var app = Build(("Storage:Provider", "litedb"), ("Storage:LiteDbPath", file)))
        {
            var store = app.Services.GetRequiredService<IKpiStore>();
            var directory = app.Services.GetRequiredService<IConversationDirectory>();
            Assert.Same(store, app.Services.GetRequiredService<IKpiStore>());
            store.EnsureWorkspace("local:demo", Platform.Local, "Demo", TempStore.Now);
            directory.Save(new ConversationAddress("local:demo:c1", Platform.Local, "local:demo", "c1", ConversationKind.Channel, "sales", null, null,
                new Dictionary<string, string>(), true, TempStore.Now));
        }
        using (var context = new LiteDbContext(file))
        {
            Assert.Equal("Demo", new LiteDbKpiStore(context, TimeProvider.System).FindWorkspace("local:demo")!.Name);
            Assert.Equal("sales", new LiteDbConversationDirectory(context).Find("local:demo:c1")!.Name);
        }
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void The_store_reads_through_the_activity_cache_unless_its_budget_is_zero()
    {
        using (var cached = Build(("Storage:LiteDbPath", StorageOptions.InMemoryPath)))
        {
            Assert.IsType<CachingKpiStore>(cached.Services.GetRequiredService<IKpiStore>());
        }
        using var plain = Build(("Storage:LiteDbPath", StorageOptions.InMemoryPath), ("Storage:ActivityCacheMegabytes", "0"));
        Assert.IsType<LiteDbKpiStore>(plain.Services.GetRequiredService<IKpiStore>());
    }

    [Fact]
    public async Task A_negative_cache_budget_stops_start_up_and_names_the_setting()
    {
        await using var app = Build(("Storage:LiteDbPath", StorageOptions.InMemoryPath), ("Storage:ActivityCacheMegabytes", "-5"));
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("ActivityCacheMegabytes", error.Message);
    }
}
