namespace KpiBot.Tests.Import;

/// <summary>The real Maven CRM export, found beside the repository, and counts computed from it independently.</summary>
internal static class MavenFile
{
    public static string Folder { get; } = FindFolder();

    public static string Pipeline => Path.Combine(Folder, "sales_pipeline.csv");

    private static string FindFolder()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "KpiBot.sln")))
        {
            dir = dir.Parent;
        }
        if (dir is null)
        {
            throw new InvalidOperationException($"No KpiBot.sln above {AppContext.BaseDirectory}.");
        }
        return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "maven-crm"));
    }

    /// <summary>
    /// The rows split by hand (no CSV library): the file has no quoted fields, CRLF line ends, and
    /// columns opportunity_id, sales_agent, product, account, deal_stage, engage_date, close_date, close_value.
    /// </summary>
    public static IReadOnlyList<string[]> Rows() =>
        File.ReadAllText(Pipeline)
            .Split("\r\n", StringSplitOptions.RemoveEmptyEntries)
            .Skip(1)
            .Select(line => line.Split(','))
            .ToList();

    public static int CountStage(string stage) => Rows().Count(r => r[4] == stage);

    public static IReadOnlyDictionary<string, (int Count, decimal Value)> WonByAgent() =>
        Rows().Where(r => r[4] == "Won")
            .GroupBy(r => r[1])
            .ToDictionary(g => g.Key, g => (g.Count(), g.Sum(r => decimal.Parse(r[7], System.Globalization.CultureInfo.InvariantCulture))));
}
