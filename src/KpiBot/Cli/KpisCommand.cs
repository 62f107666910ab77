using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using KpiBot.Cards;
using KpiBot.Conversation;
using KpiBot.Domain;
using KpiBot.Kpis;
using KpiBot.Rendering;
using KpiBot.Replies;
using KpiBot.Storage;
using KpiBot.Storage.LiteDb;

namespace KpiBot.Cli;

/// <summary>
/// <c>kpis --workspace W (--person NAME | --team T) [--as-of DATE] [--weeks N] [--json] [--db PATH]</c>:
/// every KPI figure of a person or a team over the N complete weeks ending at a date. The JSON is the
/// engine's report as documented in docs/kpis.md; without <c>--json</c> the same cards the bot sends,
/// as plain text.
/// </summary>
internal sealed class KpisCommand : ICliCommand
{
    private static readonly string[] ValueOptions = ["workspace", "person", "team", "as-of", "weeks", "db"];
    private static readonly string[] Flags = ["json"];

    /// <summary>The JSON form of every report: camelCase, enum names, ISO dates (docs/kpis.md "JSON field names").</summary>
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public string Name => "kpis";

    public string Usage => "kpis --workspace W (--person NAME | --team T) [--as-of yyyy-MM-dd] [--weeks 6-12] [--json] [--db PATH]";

    public Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (!CliArguments.TryParse(args, ValueOptions, Flags, firstNumber: 2, out var parsed, out var problem))
        {
            return Task.FromResult(UsageError(error, problem!));
        }
        if (parsed.Positional.Count > 0)
        {
            return Task.FromResult(UsageError(error, $"'{parsed.Positional[0]}' is not an option of kpis."));
        }
        if (!parsed.Options.TryGetValue("workspace", out var workspaceId))
        {
            return Task.FromResult(UsageError(error, "--workspace is required, for example --workspace local:demo (the workspace an import used)."));
        }
        var personName = parsed.Options.GetValueOrDefault("person");
        var teamId = parsed.Options.GetValueOrDefault("team");
        if ((personName is null) == (teamId is null))
        {
            return Task.FromResult(UsageError(error, "Give exactly one of --person NAME or --team T."));
        }
        var asOf = DateOnly.FromDateTime(DateTime.Today);
        if (parsed.Options.TryGetValue("as-of", out var asOfText)
            && !DateOnly.TryParseExact(asOfText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out asOf))
        {
            return Task.FromResult(UsageError(error, $"--as-of '{asOfText}' is not a date; write it as yyyy-MM-dd, e.g. 2017-12-31."));
        }
        int? weeks = null;
        if (parsed.Options.TryGetValue("weeks", out var weeksText))
        {
            if (!int.TryParse(weeksText, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 6 || n > 12)
            {
                return Task.FromResult(UsageError(error, $"--weeks '{weeksText}' is outside the method's trend window; give 6 to 12 complete weeks (default 8)."));
            }
            weeks = n;
        }

        try
        {
            var dbPath = ImportCommand.UserPath(parsed.Options.GetValueOrDefault("db")) ?? ImportCommand.ConfiguredDatabasePath();
            if (!string.Equals(dbPath, StorageOptions.InMemoryPath, StringComparison.OrdinalIgnoreCase) && !File.Exists(dbPath))
            {
                error.WriteLine($"There is no KpiBot database at '{Path.GetFullPath(dbPath)}'. Import deals first (import deals FILE --workspace {workspaceId}) or give --db PATH.");
                return Task.FromResult(ExitCodes.BadInput);
            }
            using var context = ImportCommand.OpenDatabase(dbPath);
            var store = new LiteDbKpiStore(context, TimeProvider.System);
            return Task.FromResult(personName is not null
                ? RunForPerson(store, workspaceId, personName, asOf, weeks, parsed.Has("json"), output, error)
                : RunForTeam(store, workspaceId, teamId!, asOf, weeks, parsed.Has("json"), output, error));
        }
        catch (Import.ImportFileException e)
        {
            error.WriteLine(e.Message);
            return Task.FromResult(ExitCodes.BadInput);
        }
    }

    private static int RunForPerson(IKpiStore store, string workspaceId, string name, DateOnly asOf, int? weeks, bool json, TextWriter output, TextWriter error)
    {
        if (!TryFindWorkspace(store, workspaceId, error))
        {
            return ExitCodes.BadInput;
        }
        var people = store.ListPeople(workspaceId);
        Person person;
        switch (NameMatcher.Match(name, people))
        {
            case NameMatch.Found found:
                person = found.Person;
                break;
            case NameMatch.Ambiguous ambiguous:
                error.WriteLine($"'{name}' matches {ambiguous.Candidates.Count} people: {string.Join(", ", ambiguous.Candidates.Select(p => p.DisplayName))}. Give the full name.");
                return ExitCodes.BadInput;
            case NameMatch.NotFound notFound:
                error.WriteLine(notFound.Suggestions.Count > 0
                    ? $"No one called '{name}' in {workspaceId}. Did you mean {string.Join(" or ", notFound.Suggestions.Select(p => p.DisplayName))}?"
                    : $"No one called '{name}' in {workspaceId}.");
                return ExitCodes.BadInput;
            default:
                throw new InvalidOperationException("Unknown name match.");
        }

        var team = WithWeeks(store.FindTeam(workspaceId, person.TeamId) ?? throw new InvalidOperationException($"{person.DisplayName}'s team '{person.TeamId}' is missing."), weeks);
        var teamPeople = store.ListPeople(workspaceId, team.Id);
        var activities = KpiActivityLoader.Load(store, team, teamPeople, asOf);
        var teamConversion = KpiEngine.ComputeTeamConversion(team, activities, asOf);
        var activity = activities.First(a => a.Person.Id == person.Id);
        var report = KpiEngine.ComputePerson(team, activity, asOf, teamConversion);
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(report, Json));
            return ExitCodes.Success;
        }
        WriteCards(output,
        [
            KpiCards.Trend(report),
            KpiCards.DealFigures(report.DisplayName, report.Deals, report.Currency),
            KpiCards.Funnel(report.DisplayName, report.Conversion),
            KpiCards.Pipeline(report.DisplayName, report.Pipeline, report.Currency),
            KpiCards.Forecast(report.DisplayName, report.Forecast, team.Settings.Forecast, report.Currency),
            KpiCards.CycleValue(report.DisplayName, report.CycleValue, report.Currency),
        ]);
        return ExitCodes.Success;
    }

    private static int RunForTeam(IKpiStore store, string workspaceId, string teamId, DateOnly asOf, int? weeks, bool json, TextWriter output, TextWriter error)
    {
        if (!TryFindWorkspace(store, workspaceId, error))
        {
            return ExitCodes.BadInput;
        }
        var teams = store.ListTeams(workspaceId);
        var found = teams.FirstOrDefault(t => string.Equals(t.Id, teamId, StringComparison.OrdinalIgnoreCase))
            ?? teams.FirstOrDefault(t => string.Equals(t.Name, teamId, StringComparison.CurrentCultureIgnoreCase));
        if (found is null)
        {
            error.WriteLine($"There is no team '{teamId}' in {workspaceId}. Teams: {string.Join(", ", teams.Select(t => t.Id == t.Name ? t.Id : $"{t.Id} ({t.Name})"))}.");
            return ExitCodes.BadInput;
        }
        var team = WithWeeks(found, weeks);
        var activities = KpiActivityLoader.Load(store, team, store.ListPeople(workspaceId, team.Id), asOf);
        var report = KpiEngine.ComputeTeam(team, activities, asOf);
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(report, Json));
            return ExitCodes.Success;
        }
        WriteCards(output,
        [
            KpiCards.TeamOverview(report, channelSafe: false),
            KpiCards.Trend(report),
            KpiCards.DealFigures(report.TeamName, report.Deals, report.Currency),
            KpiCards.Funnel(report.TeamName, report.Conversion),
            KpiCards.Pipeline(report.TeamName, report.Pipeline, report.Currency),
            KpiCards.Forecast(report.TeamName, report.Forecast, team.Settings.Forecast, report.Currency),
            KpiCards.CycleValue(report.TeamName, report.CycleValue, report.Currency),
        ]);
        return ExitCodes.Success;
    }

    private static bool TryFindWorkspace(IKpiStore store, string workspaceId, TextWriter error)
    {
        if (store.FindWorkspace(workspaceId) is not null)
        {
            return true;
        }
        error.WriteLine($"The database has no workspace '{workspaceId}'. Use the --workspace an import was run with (e.g. local:demo).");
        return false;
    }

    /// <summary>The team with <c>--weeks</c> applied to both the trend and the conversion window, for this run only.</summary>
    private static Team WithWeeks(Team team, int? weeks) =>
        weeks is { } n ? team with { Settings = team.Settings with { TrendWeeks = n, ConversionWeeks = n } } : team;

    private static void WriteCards(TextWriter output, IReadOnlyList<Reply> cards)
    {
        var text = new TextRenderer();
        foreach (var card in cards)
        {
            output.WriteLine(text.Render(card).TrimEnd());
            output.WriteLine();
        }
    }

    private int UsageError(TextWriter error, string problem)
    {
        error.WriteLine(problem);
        error.WriteLine("Usage: " + Usage);
        return ExitCodes.Usage;
    }
}
