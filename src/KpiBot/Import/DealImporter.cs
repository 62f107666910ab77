using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using KpiBot.Domain;
using KpiBot.Storage;

namespace KpiBot.Import;

/// <summary>What to import and how.</summary>
/// <param name="FilePath">The deals CSV.</param>
/// <param name="WorkspaceId">Target workspace (<c>slack:T0123</c>, <c>teams:&lt;tenant&gt;</c>, <c>local:demo</c>).</param>
/// <param name="TeamId">Team the imported people join; null → the workspace's default team.</param>
/// <param name="Format">File layout; <see cref="CrmFormat.Auto"/> detects a Maven export by its header.</param>
/// <param name="Map">Field → column overrides (<c>--map</c>).</param>
/// <param name="Currency">ISO 4217 code of the amounts; null → the team's currency (a <c>currency</c> column wins per row).</param>
/// <param name="PeopleFile">A sales_teams.csv (sales_agent, manager); null → one beside the deals file, if any.</param>
/// <param name="ProductsFile">A products.csv (product, sales_price); null → one beside the deals file, if any.</param>
/// <param name="AuthorId">Who the change record names (undo belongs to them).</param>
public sealed record DealImportRequest(
    string FilePath,
    string WorkspaceId,
    string? TeamId = null,
    CrmFormat Format = CrmFormat.Auto,
    IReadOnlyDictionary<string, string>? Map = null,
    string? Currency = null,
    string? PeopleFile = null,
    string? ProductsFile = null,
    string AuthorId = DealImporter.DefaultAuthor);

/// <summary>A deals file read and checked, ready to be stored (<see cref="DealImporter.Prepare"/>).</summary>
public sealed record PreparedImport(
    DealImportRequest Request,
    Platform Platform,
    string? Currency,
    CrmTable Table,
    IReadOnlyDictionary<string, decimal> Prices,
    IReadOnlyDictionary<string, string> ManagersByAgent);

/// <summary>Rows skipped for one reason.</summary>
/// <param name="Lines">File lines (1 = header) of the first few rows skipped for this reason.</param>
public sealed record SkipGroup(string Reason, int Count, IReadOnlyList<int> Lines);

/// <summary>What an import did.</summary>
public sealed record ImportReport(
    string FileName,
    CrmFormat Format,
    int RowsRead,
    int Won,
    int Lost,
    int Open,
    IReadOnlyList<SkipGroup> Skipped,
    BulkResult Store,
    int PeopleCreated,
    int PeopleUpdated,
    string Currency)
{
    /// <summary>Rows imported (won + lost + open).</summary>
    public int Imported => Won + Lost + Open;

    /// <summary>Rows skipped, all reasons.</summary>
    public int SkippedCount => Skipped.Sum(s => s.Count);

    /// <summary>Writes the report the <c>import deals</c> command prints.</summary>
    public void WriteTo(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"Read {RowsRead} rows from {FileName} ({(Format == CrmFormat.Maven ? "Maven CRM export" : "generic CSV")})."));
        output.WriteLine(string.Create(c, $"Imported {Imported}: {Won} won, {Lost} lost, {Open} open (amounts in {Currency})."));
        if (SkippedCount == 0)
        {
            output.WriteLine("Skipped 0.");
        }
        else
        {
            output.WriteLine(string.Create(c, $"Skipped {SkippedCount}:"));
            foreach (var group in Skipped)
            {
                var lines = string.Join(", ", group.Lines) + (group.Count > group.Lines.Count ? ", …" : "");
                output.WriteLine(string.Create(c, $"  {group.Count,6}  {group.Reason} (lines {lines})"));
            }
        }
        output.WriteLine(string.Create(c, $"Stored: {Store.Inserted} inserted, {Store.Updated} updated, {Store.Unchanged} unchanged; people: {PeopleCreated} created, {PeopleUpdated} updated."));
        output.WriteLine(Store.ChangeId is null
            ? "Nothing changed in the store."
            : $"Change {Store.ChangeId} (undo reverts the whole import).");
    }
}

/// <summary>
/// Imports CRM deals into a workspace: reads the file (<see cref="CrmCsv"/>), maps each row to a
/// <see cref="Deal"/> (rules in docs/import.md), creates one person per salesperson, and stores
/// everything in one transaction through <see cref="IKpiStore.UpsertDealsByExternalId"/>. A whole-file
/// problem throws <see cref="ImportFileException"/> before anything is stored; a bad row is skipped
/// and counted under its reason.
/// </summary>
public sealed class DealImporter
{
    /// <summary>The author of imports run from the command line.</summary>
    public const string DefaultAuthor = "cli:import";

    private const int LinesPerReason = 5;

    private readonly IKpiStore _store;
    private readonly TimeProvider _clock;

    /// <summary>Creates the importer.</summary>
    public DealImporter(IKpiStore store, TimeProvider clock)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
    }

    /// <summary>Runs the import: <see cref="Prepare"/>, then <see cref="Import(PreparedImport)"/>.</summary>
    public ImportReport Import(DealImportRequest request) => Import(Prepare(request));

    /// <summary>
    /// Everything that only reads files: the deals table, product prices and the roster. Every whole-file
    /// problem surfaces here, before a database is opened, so a bad file leaves no trace.
    /// </summary>
    public static PreparedImport Prepare(DealImportRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var platform = PlatformOf(request.WorkspaceId);
        var currency = request.Currency is null ? null : CheckCurrency(request.Currency, "--currency");
        var table = CrmCsv.Read(request.FilePath, request.Format, request.Map ?? new Dictionary<string, string>());
        var folder = Path.GetDirectoryName(Path.GetFullPath(request.FilePath)) ?? ".";
        var prices = ReadPrices(request.ProductsFile ?? Beside(folder, "products.csv"), request.ProductsFile is not null);
        var managersByAgent = ReadRoster(request.PeopleFile ?? Beside(folder, "sales_teams.csv"), request.PeopleFile is not null);
        return new PreparedImport(request, platform, currency, table, prices, managersByAgent);
    }

    /// <summary>Maps the prepared rows and stores them in one transaction.</summary>
    public ImportReport Import(PreparedImport prepared)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        var (request, platform, currency, table, prices, managersByAgent) = prepared;
        var now = _clock.GetUtcNow();
        var team = ResolveTeam(request, platform, now);
        if (currency is not null && currency != team.Settings.Currency)
        {
            team = AdoptCurrency(team, currency, request, now);
        }
        currency ??= team.Settings.Currency;
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, FindZone(team.Settings.TimeZoneId)).DateTime);

        var people = new PeopleBook(_store.ListPeople(request.WorkspaceId), request.WorkspaceId, team.Id, now);
        var rules = new RowRules(team, table.Format, prices, currency, today);
        var skips = new Dictionary<string, (int Count, List<int> Lines)>(StringComparer.Ordinal);
        var seenIds = new HashSet<string>(StringComparer.Ordinal);
        var deals = new List<Deal>(table.Rows.Count);
        int won = 0, lost = 0, open = 0;

        foreach (var row in table.Rows)
        {
            var outcome = rules.Map(row, out var reason);
            if (outcome is null)
            {
                Skip(skips, reason!, row.Line);
                continue;
            }
            if (!seenIds.Add(outcome.ExternalId))
            {
                Skip(skips, "repeats an id seen on an earlier line (the first one is kept)", row.Line);
                continue;
            }
            var owner = people.Rep(outcome.OwnerName);
            deals.Add(new Deal($"crm:{outcome.ExternalId}", request.WorkspaceId, owner.Id, outcome.Name, outcome.Value, outcome.Currency,
                outcome.Stage, [new StageChange(outcome.Stage, outcome.Start)], outcome.Start, outcome.ExpectedClose, outcome.Outcome, outcome.Close, outcome.ExternalId));
            switch (outcome.Outcome)
            {
                case DealOutcome.Won: won++; break;
                case DealOutcome.Lost: lost++; break;
                default: open++; break;
            }
        }

        people.LinkManagers(managersByAgent);
        var changedPeople = people.Changed();
        var sourceId = "import:" + Fingerprint(request, table, currency, team.Id);
        var summary = $"imported {deals.Count} deals from {Path.GetFileName(request.FilePath)}";
        var stored = _store.UpsertDealsByExternalId(request.WorkspaceId, request.AuthorId, sourceId, summary, deals, changedPeople, now);

        return new ImportReport(Path.GetFileName(request.FilePath), table.Format, table.Rows.Count, won, lost, open,
            skips.Select(kv => new SkipGroup(kv.Key, kv.Value.Count, kv.Value.Lines)).OrderByDescending(s => s.Count).ToList(),
            stored, people.CreatedCount, people.UpdatedCount, currency);
    }

    /// <summary>The platform a workspace id names by its prefix; other ids are refused with the forms that work.</summary>
    public static Platform PlatformOf(string workspaceId)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        var prefix = workspaceId.Split(':', 2);
        if (prefix.Length == 2 && prefix[1].Length > 0)
        {
            switch (prefix[0].ToLowerInvariant())
            {
                case "slack": return Platform.Slack;
                case "teams": return Platform.Teams;
                case "local": return Platform.Local;
            }
        }
        throw new ImportFileException($"The workspace '{workspaceId}' is not a KpiBot workspace id; use slack:<team id> (slack:T0123), teams:<tenant id> or local:<name> (local:demo).");
    }

    private Team ResolveTeam(DealImportRequest request, Platform platform, DateTimeOffset now)
    {
        var teamId = request.TeamId ?? TeamIds.Default;
        if (_store.FindWorkspace(request.WorkspaceId) is null && teamId != TeamIds.Default)
        {
            throw new ImportFileException($"The workspace '{request.WorkspaceId}' does not exist yet, so it has no team '{teamId}'; leave out --team to use the default team.");
        }
        _store.EnsureWorkspace(request.WorkspaceId, platform, Workspace.FirstContactName(request.WorkspaceId, platform), now);
        return _store.FindTeam(request.WorkspaceId, teamId)
            ?? throw new ImportFileException($"The workspace '{request.WorkspaceId}' has no team '{teamId}'. Its teams: {string.Join(", ", _store.ListTeams(request.WorkspaceId).Select(t => t.Id))}.");
    }

    /// <summary>
    /// KPI amounts are shown in the team's currency and KpiBot never converts money, so deals in another
    /// currency may only go into a team that has no deals yet: that team takes the import's currency (a change
    /// of its own, undoable like any setting). A team that already counts money in another currency refuses.
    /// </summary>
    private Team AdoptCurrency(Team team, string currency, DealImportRequest request, DateTimeOffset now)
    {
        if (_store.GetDeals(request.WorkspaceId, null).Count > 0)
        {
            throw new ImportFileException(
                $"The team '{team.Name}' counts money in {team.Settings.Currency} and already has deals; KpiBot does not convert currencies. " +
                $"Import with --currency {team.Settings.Currency}, or into a new workspace.");
        }
        var updated = team with { Settings = team.Settings with { Currency = currency } };
        _store.Apply(new ChangeSet(request.WorkspaceId, request.AuthorId, $"import-currency:{team.Id}:{currency}",
            $"team currency {team.Settings.Currency} → {currency} for the imported deals", now, [], [], [], [updated]));
        return updated;
    }

    private static void Skip(Dictionary<string, (int Count, List<int> Lines)> skips, string reason, int line)
    {
        if (!skips.TryGetValue(reason, out var group))
        {
            group = (0, new List<int>());
        }
        if (group.Lines.Count < LinesPerReason)
        {
            group.Lines.Add(line);
        }
        skips[reason] = (group.Count + 1, group.Lines);
    }

    private static string? Beside(string folder, string name)
    {
        var path = Path.Combine(folder, name);
        return File.Exists(path) ? path : null;
    }

    internal static string CheckCurrency(string currency, string what)
    {
        var code = currency.Trim().ToUpperInvariant();
        if (code.Length != 3 || !code.All(char.IsAsciiLetterUpper))
        {
            throw new ImportFileException($"{what} '{currency}' is not an ISO 4217 currency code; use three letters such as USD, EUR or SEK.");
        }
        return code;
    }

    private static TimeZoneInfo FindZone(string id) => TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;

    /// <summary>Product list prices by folded product name ("GTX Pro" and Maven's "GTXPro" are the same product).</summary>
    private static Dictionary<string, decimal> ReadPrices(string? path, bool explicitlyGiven)
    {
        var prices = new Dictionary<string, decimal>(StringComparer.Ordinal);
        if (path is null)
        {
            return prices;
        }
        var table = ReadSide(path, explicitlyGiven, ["product", "sales_price"]);
        foreach (var row in table)
        {
            if (row.TryGetValue("product", out var product) && row.TryGetValue("sales_price", out var price)
                && decimal.TryParse(price, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) && value >= 0)
            {
                prices[ProductKey(product)] = value;
            }
        }
        return prices;
    }

    /// <summary>Manager name by agent name (folded), from a sales_teams.csv.</summary>
    private static Dictionary<string, string> ReadRoster(string? path, bool explicitlyGiven)
    {
        var roster = new Dictionary<string, string>(StringComparer.Ordinal);
        if (path is null)
        {
            return roster;
        }
        foreach (var row in ReadSide(path, explicitlyGiven, ["sales_agent", "manager"]))
        {
            if (row.TryGetValue("sales_agent", out var agent) && row.TryGetValue("manager", out var manager)
                && !string.IsNullOrWhiteSpace(agent) && !string.IsNullOrWhiteSpace(manager))
            {
                roster[PeopleBook.Fold(agent)] = manager.Trim();
            }
        }
        return roster;
    }

    private static List<Dictionary<string, string>> ReadSide(string path, bool explicitlyGiven, string[] columns)
    {
        if (!File.Exists(path))
        {
            throw new ImportFileException($"The file '{path}' does not exist.");
        }
        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        var (header, records) = CrmCsv.ReadRecords(reader, Path.GetFileName(path));
        if (header.Length == 0)
        {
            throw new ImportFileException($"{Path.GetFileName(path)} is empty; expected the columns {string.Join(",", columns)}.");
        }
        var indexes = columns.Select(c => Array.FindIndex(header, h => string.Equals(h, c, StringComparison.OrdinalIgnoreCase))).ToArray();
        var missing = columns.Where((_, i) => indexes[i] < 0).ToList();
        if (missing.Count > 0)
        {
            if (!explicitlyGiven)
            {
                return []; // a file beside the export that is not the one we look for: ignore it
            }
            throw new ImportFileException($"{Path.GetFileName(path)} has no column {string.Join(", ", missing.Select(m => $"'{m}'"))}; expected the columns {string.Join(",", columns)}. Its columns are: {string.Join(", ", header)}.");
        }
        var rows = new List<Dictionary<string, string>>(records.Count);
        foreach (var (_, values) in records)
        {
            var row = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < columns.Length; i++)
            {
                row[columns[i]] = indexes[i] < values.Length ? values[indexes[i]] : "";
            }
            rows.Add(row);
        }
        return rows;
    }

    internal static string ProductKey(string product) => new(PeopleBook.Fold(product).Where(char.IsLetterOrDigit).ToArray());

    private static string Fingerprint(DealImportRequest request, CrmTable table, string currency, string teamId)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(File.ReadAllBytes(request.FilePath));
        var options = string.Join("\n", table.Format, currency, teamId, string.Join(",", (request.Map ?? new Dictionary<string, string>()).OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}")));
        sha.AppendData(Encoding.UTF8.GetBytes(options));
        return Convert.ToHexStringLower(sha.GetHashAndReset())[..32];
    }
}
