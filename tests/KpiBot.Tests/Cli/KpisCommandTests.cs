using System.Globalization;
using System.Text.Json;
using KpiBot.Cli;
using KpiBot.Tests.Import;

namespace KpiBot.Tests.Cli;

/// <summary>
/// The <c>kpis</c> command over the real Maven export, checked against counts made here by splitting the
/// CSV lines by hand: the window is the 8 complete ISO weeks ending Sunday 2017-12-31 (2017-11-06 … 2017-12-31).
/// </summary>
public sealed class KpisCommandTests : IClassFixture<KpisCommandTests.ImportedMaven>
{
    private static readonly DateOnly WindowStart = new(2017, 11, 6);
    private static readonly DateOnly WindowEnd = new(2017, 12, 31);
    private readonly ImportedMaven _maven;

    public KpisCommandTests(ImportedMaven maven) => _maven = maven;

    /// <summary>One import of the Maven file into a temporary database, shared by the tests.</summary>
    public sealed class ImportedMaven : IDisposable
    {
        public ImportedMaven()
        {
            Directory.CreateDirectory(Folder);
            var (code, _, error) = Run("import", "deals", MavenFile.Pipeline, "--workspace", "local:maven", "--db", Db, "--currency", "USD").GetAwaiter().GetResult();
            if (code != ExitCodes.Success)
            {
                throw new InvalidOperationException("Import failed: " + error);
            }
        }

        public string Folder { get; } = Path.Combine(Path.GetTempPath(), "kpibot-tests", Guid.NewGuid().ToString("N"));

        public string Db => Path.Combine(Folder, "kpis.db");

        public void Dispose() => Directory.Delete(Folder, recursive: true);
    }

    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CommandLine.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static IEnumerable<string[]> WonInWindow(string? agent) =>
        MavenFile.Rows().Where(r => r[4] == "Won" && (agent is null || r[1] == agent))
            .Where(r => DateOnly.ParseExact(r[6], "yyyy-MM-dd", CultureInfo.InvariantCulture) is var close && close >= WindowStart && close <= WindowEnd);

    private static decimal Value(string[] row) => decimal.Parse(row[7], CultureInfo.InvariantCulture);

    [Fact]
    public async Task Annas_json_report_matches_an_independent_count_of_the_export()
    {
        var (code, output, error) = await Run("kpis", "--workspace", "local:maven", "--person", "anna snelling", "--as-of", "2017-12-31", "--json", "--db", _maven.Db);
        Assert.Equal((ExitCodes.Success, ""), (code, error));
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal("Anna Snelling", root.GetProperty("displayName").GetString());
        Assert.Equal("2017-12-31", root.GetProperty("asOf").GetString());

        var won = WonInWindow("Anna Snelling").ToList();
        var deals = root.GetProperty("deals");
        Assert.Equal(won.Count, deals.GetProperty("won").GetInt32());
        Assert.Equal(won.Sum(Value), deals.GetProperty("wonValue").GetDecimal());

        // The main statistic's weekly series: revenue won per ISO week, oldest first.
        var weeks = root.GetProperty("status").GetProperty("weeks").EnumerateArray().ToList();
        Assert.Equal(8, weeks.Count);
        for (var i = 0; i < 8; i++)
        {
            var monday = WindowStart.AddDays(7 * i);
            var expected = won.Where(r => DateOnly.ParseExact(r[6], "yyyy-MM-dd", CultureInfo.InvariantCulture) is var d && d >= monday && d <= monday.AddDays(6)).Sum(Value);
            Assert.Equal(monday.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), weeks[i].GetProperty("monday").GetString());
            Assert.Equal((double)expected, weeks[i].GetProperty("value").GetDouble(), 6);
        }

        var state = root.GetProperty("status").GetProperty("state").GetString();
        Assert.Contains(state, new[] { "Normal", "Crisis", "Danger" });
        Assert.Equal("USD", root.GetProperty("currency").GetString());
    }

    [Fact]
    public async Task The_team_report_adds_up_everyone_and_lists_every_agent_attention_first()
    {
        var (code, output, error) = await Run("kpis", "--workspace", "local:maven", "--team", "default", "--as-of", "2017-12-31", "--json", "--db", _maven.Db);
        Assert.Equal((ExitCodes.Success, ""), (code, error));
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        var won = WonInWindow(null).ToList();
        Assert.Equal(won.Count, root.GetProperty("deals").GetProperty("won").GetInt32());
        Assert.Equal(won.Sum(Value), root.GetProperty("deals").GetProperty("wonValue").GetDecimal());

        var agents = MavenFile.Rows().Select(r => r[1]).Distinct().ToHashSet();
        var people = root.GetProperty("people").EnumerateArray().ToList();
        Assert.Superset(agents, people.Select(p => p.GetProperty("displayName").GetString()!).ToHashSet());
        var ranks = people.Select(p => p.GetProperty("attentionRank").GetInt32()).ToList();
        Assert.Equal(ranks.Order().ToList(), ranks);
    }

    [Fact]
    public async Task The_readable_report_shows_the_cards_a_manager_would_see()
    {
        var (code, output, _) = await Run("kpis", "--workspace", "local:maven", "--person", "Anna Snelling", "--as-of", "2017-12-31", "--db", _maven.Db);
        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("Anna Snelling: revenue won trend", output, StringComparison.Ordinal);
        Assert.Contains($"Won:              {WonInWindow("Anna Snelling").Count()}", output, StringComparison.Ordinal);
        Assert.Contains("Anna Snelling: funnel", output, StringComparison.Ordinal);
        Assert.Contains("Anna Snelling: forecast accuracy", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_team_an_import_creates_is_named_after_the_local_workspace_not_its_id()
    {
        var (code, output, _) = await Run("kpis", "--workspace", "local:maven", "--team", "default", "--as-of", "2017-12-31", "--db", _maven.Db);
        Assert.Equal(ExitCodes.Success, code);
        Assert.StartsWith("maven: team status", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "kpis", "--person", "Anna" }, ExitCodes.Usage, "--workspace is required")]
    [InlineData(new[] { "kpis", "--workspace", "local:maven" }, ExitCodes.Usage, "exactly one of --person NAME or --team T")]
    [InlineData(new[] { "kpis", "--workspace", "local:maven", "--person", "Anna", "--as-of", "31/12/2017" }, ExitCodes.Usage, "write it as yyyy-MM-dd")]
    [InlineData(new[] { "kpis", "--workspace", "local:maven", "--person", "Anna", "--weeks", "30" }, ExitCodes.Usage, "give 6 to 12 complete weeks")]
    [InlineData(new[] { "kpis", "--workspace", "local:nowhere", "--person", "Anna" }, ExitCodes.BadInput, "no workspace 'local:nowhere'")]
    [InlineData(new[] { "kpis", "--workspace", "local:maven", "--person", "Zorro Unknown" }, ExitCodes.BadInput, "No one called 'Zorro Unknown'")]
    [InlineData(new[] { "kpis", "--workspace", "local:maven", "--team", "north" }, ExitCodes.BadInput, "There is no team 'north'")]
    public async Task Bad_arguments_say_what_would_work(string[] args, int expectedCode, string expectedMessage)
    {
        var (code, _, error) = await Run([.. args, "--db", _maven.Db]);
        Assert.Equal(expectedCode, code);
        Assert.Contains(expectedMessage, error, StringComparison.Ordinal);
    }
}
