using KpiBot.Cli;
using KpiBot.Domain;
using KpiBot.Storage.LiteDb;

namespace KpiBot.Tests.Import;

public sealed class ImportCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "kpibot-tests", Guid.NewGuid().ToString("N"));
    private string Db => Path.Combine(_dir, "cli.db");

    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CommandLine.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Import_deals_prints_counts_and_a_second_run_changes_nothing()
    {
        var (code, output, error) = await Run("import", "deals", MavenFile.Pipeline, "--workspace", "local:demo", "--db", Db, "--currency", "USD");
        Assert.Equal((ExitCodes.Success, ""), (code, error));
        Assert.Contains("Read 8800 rows from sales_pipeline.csv (Maven CRM export).", output, StringComparison.Ordinal);
        Assert.Contains($"Imported 8300: {MavenFile.CountStage("Won")} won, {MavenFile.CountStage("Lost")} lost, {MavenFile.CountStage("Engaging")} open (amounts in USD).", output, StringComparison.Ordinal);
        Assert.Contains("Skipped 500:", output, StringComparison.Ordinal);
        Assert.Contains("Stored: 8300 inserted, 0 updated, 0 unchanged", output, StringComparison.Ordinal);

        var again = await Run("import", "deals", MavenFile.Pipeline, "--workspace=local:demo", "--db=" + Db, "--currency=USD");
        Assert.Equal(ExitCodes.Success, again.Code);
        Assert.Contains("Stored: 0 inserted, 0 updated, 8300 unchanged; people: 0 created, 0 updated.", again.Out, StringComparison.Ordinal);
        Assert.Contains("Nothing changed in the store.", again.Out, StringComparison.Ordinal);

        using var context = new LiteDbContext(Db);
        Assert.Equal(8300, new LiteDbKpiStore(context, TimeProvider.System).GetDeals("local:demo", null).Count);
    }

    [Fact]
    public async Task A_bad_file_exits_with_1_says_why_and_creates_no_database()
    {
        var bad = Path.Combine(_dir, "bad.csv");
        Directory.CreateDirectory(_dir);
        await File.WriteAllTextAsync(bad, "opportunity_id,sales_agent\nX,Y\n");
        var (code, output, error) = await Run("import", "deals", bad, "--workspace", "local:demo", "--db", Db);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Equal("", output);
        Assert.Contains("has no column 'deal_stage' (the stage field), 'engage_date' (the start field)", error, StringComparison.Ordinal);
        Assert.Contains("Nothing was stored.", error, StringComparison.Ordinal);

        var missing = await Run("import", "deals", Path.Combine(_dir, "nope.csv"), "--workspace", "local:demo", "--db", Db);
        Assert.Equal(ExitCodes.BadInput, missing.Code);
        Assert.Contains("does not exist", missing.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(Db));
    }

    [Theory]
    [InlineData(new[] { "import" }, "Say what to import")]
    [InlineData(new[] { "import", "people", "x.csv", "--workspace", "local:a" }, "KpiBot imports 'deals'")]
    [InlineData(new[] { "import", "deals", "x.csv" }, "--workspace is required")]
    [InlineData(new[] { "import", "deals", "x.csv", "--workspace", "local:a", "--format", "excel" }, "--format 'excel' is not known; use auto, maven or generic")]
    [InlineData(new[] { "import", "deals", "x.csv", "--workspace", "local:a", "--colour", "red" }, "Unknown option '--colour' (argument 6)")]
    [InlineData(new[] { "import", "deals", "x.csv", "--workspace" }, "--workspace needs a value (argument 4)")]
    [InlineData(new[] { "import", "deals", "x.csv", "y.csv", "--workspace", "local:a" }, "One file at a time; 'y.csv' is extra")]
    [InlineData(new[] { "export" }, "'export' is not a KpiBot command")]
    public async Task Usage_errors_exit_with_2_and_name_the_problem(string[] args, string expected)
    {
        var (code, _, error) = await Run(args);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Contains("import deals FILE --workspace W", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_registered_commands_are_taken_from_the_bot_arguments()
    {
        Assert.True(CommandLine.IsCommand(["import", "deals"]));
        Assert.True(CommandLine.IsCommand(["IMPORT"]));
        Assert.False(CommandLine.IsCommand([]));
        Assert.False(CommandLine.IsCommand(["--urls", "http://localhost:5000"]));
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}
