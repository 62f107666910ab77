using KpiBot.Domain;
using KpiBot.Storage.LiteDb;
using Microsoft.Extensions.Time.Testing;

namespace KpiBot.Tests.Storage;

/// <summary>A store on a fresh temporary file, deleted afterwards, with a workspace and two people.</summary>
internal sealed class TempStore : IDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);
    public const string Ws = "slack:T01";

    public TempStore(bool seed = true)
    {
        Directory = Path.Combine(Path.GetTempPath(), "kpibot-tests", Guid.NewGuid().ToString("N"));
        Path_ = Path.Combine(Directory, "kpibot.db");
        Clock = new FakeTimeProvider(Now);
        Context = new LiteDbContext(Path_);
        Store = new LiteDbKpiStore(Context, Clock);
        if (seed)
        {
            Store.EnsureWorkspace(Ws, Platform.Slack, "Acme Sales", Now);
            Store.Apply(new ChangeSet(Ws, "anna", "seed-people", "people", Now, [], [],
                [Anna, Bob], []));
        }
    }

    public string Directory { get; }
    public string Path_ { get; }
    public FakeTimeProvider Clock { get; }
    public LiteDbContext Context { get; private set; }
    public LiteDbKpiStore Store { get; private set; }

    public static Person Anna { get; } = new("anna", Ws, TeamIds.Default, "Anna Svensson", Role.Rep, "U_ANNA", null, [], null, Now);
    public static Person Bob { get; } = new("bob", Ws, TeamIds.Default, "Bob Berg", Role.Manager, "U_BOB", "Europe/London", [new AwayPeriod(new(2026, 7, 1), new(2026, 7, 14))], null, Now);

    public static DailyEntry Entry(string person, DateOnly date, string metric, decimal value, string id = "") =>
        new(id, Ws, person, date, metric, value, person, "", Now);

    /// <summary>Closes and opens the file again, as after a restart.</summary>
    public void Reopen()
    {
        Context.Dispose();
        Context = new LiteDbContext(Path_);
        Store = new LiteDbKpiStore(Context, Clock);
    }

    public void Dispose()
    {
        Context.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
