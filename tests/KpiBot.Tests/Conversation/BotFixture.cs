using KpiBot.Conversation;
using KpiBot.Domain;
using KpiBot.Replies;
using KpiBot.Storage;
using KpiBot.Storage.LiteDb;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace KpiBot.Tests.Conversation;

/// <summary>The bot over a real LiteDB store on a temporary file, with a fake clock at Friday 2026-12-04 10:00 UTC.</summary>
internal sealed class BotFixture : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);
    public const string Ws = "local:test";

    private readonly ServiceProvider _services;
    private readonly string _directory;
    private int _sequence;

    public BotFixture(Action<IServiceCollection>? configure = null)
    {
        _directory = Path.Combine(Path.GetTempPath(), "kpibot-conv-tests", Guid.NewGuid().ToString("N"));
        Clock = new FakeTimeProvider(Start);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton(_ => new LiteDbContext(Path.Combine(_directory, "kpibot.db")));
        services.AddSingleton<IKpiStore>(sp => new LiteDbKpiStore(sp.GetRequiredService<LiteDbContext>(), Clock));
        services.AddConversation();
        configure?.Invoke(services);
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        Bot = _services.GetRequiredService<IBot>();
        Store = _services.GetRequiredService<IKpiStore>();
    }

    public FakeTimeProvider Clock { get; }
    public IBot Bot { get; }
    public IKpiStore Store { get; }

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public static IncomingMessage Message(string userId, string userName, string text, string sourceId, string ws = Ws, ConversationKind kind = ConversationKind.Personal, FormSubmission? form = null, string? timeZone = null) =>
        new(Platform.Local, ws, userId, userName, text, sourceId, "conv-" + userId, kind, timeZone, form, Start);

    public async Task<BotResponse> Say(string userId, string userName, string text, string? sourceId = null, string ws = Ws, ConversationKind kind = ConversationKind.Personal, FormSubmission? form = null, string? timeZone = null) =>
        await Bot.HandleAsync(Message(userId, userName, text, sourceId ?? $"msg-{Interlocked.Increment(ref _sequence)}", ws, kind, form, timeZone), CancellationToken.None);

    /// <summary>The admin Ada (first to talk), rep Bob and rep Cecilia, each greeted once.</summary>
    public async Task<BotFixture> WithTeam()
    {
        await Say("U_ADA", "Ada Admin", "hi");
        await Say("U_BOB", "Bob Berg", "hi");
        await Say("U_CEC", "Cecilia Öst", "hi");
        return this;
    }

    public Person Person(string userId) => Store.FindPersonByPlatformUser(Ws, userId) ?? throw new InvalidOperationException($"no person {userId}");

    public IReadOnlyList<DailyEntry> Entries(string userId) =>
        Store.GetEntries(Ws, [Person(userId).Id], new DateOnly(2000, 1, 1), new DateOnly(2100, 1, 1));

    public void Dispose()
    {
        _services.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}

/// <summary>Reading replies in assertions.</summary>
internal static class ReplyText
{
    /// <summary>All visible text of a response, one block per line.</summary>
    public static string All(BotResponse response) => string.Join("\n", response.Replies.Select(All));

    public static string All(Reply reply) => string.Join("\n", reply.Blocks.Select(Text).Prepend(reply.Summary));

    public static IReadOnlyList<ReplyAction> Buttons(BotResponse response) =>
        response.Replies.SelectMany(r => r.Blocks).OfType<Actions>().SelectMany(a => a.Items).ToList();

    private static string Text(ReplyBlock block) => block switch
    {
        Heading h => h.Text + (h.Badge is null ? "" : $" [{h.Badge.Text}]"),
        Paragraph p => p.Text,
        FactList f => string.Join("; ", f.Facts.Select(x => $"{x.Label}: {x.Value}")),
        Table t => string.Join(" | ", t.Columns) + "\n" + string.Join("\n", t.Rows.Select(r => string.Join(" | ", r.Cells))),
        Funnel f => f.Title + ": " + string.Join(", ", f.Steps.Select(s => $"{s.Label} {s.Count}" + (s.IsBottleneck ? " (bottleneck)" : ""))),
        Chart c => "chart " + c.Title,
        CoachingList c => c.Title + ": " + string.Join("; ", c.Items.Select(i => i.Advice + " — " + i.Evidence)),
        Actions a => "buttons: " + string.Join(", ", a.Items.Select(i => i.Title)),
        Form f => "form " + f.FormId,
        _ => block.GetType().Name,
    };
}
