using KpiBot.Import;
using KpiBot.Storage;
using KpiBot.Storage.LiteDb;
using Microsoft.Extensions.Options;

namespace KpiBot.Cli;

/// <summary>
/// <c>import deals FILE --workspace W [--team T] [--db PATH] [--format auto|maven|generic] [--map field=column,…]
/// [--currency CODE] [--people FILE] [--products FILE] [--author ID]</c>. See docs/import.md.
/// </summary>
internal sealed class ImportCommand : ICliCommand
{
    private static readonly string[] ValueOptions = ["workspace", "team", "db", "format", "map", "currency", "people", "products", "author"];

    public string Name => "import";

    public string Usage =>
        "import deals FILE --workspace W [--team T] [--db PATH] [--format auto|maven|generic] [--map field=column,...] [--currency USD] [--people sales_teams.csv] [--products products.csv]";

    public Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        // Argument numbers in messages count the whole command line ("import" is argument 1).
        if (!CliArguments.TryParse(args, ValueOptions, firstNumber: 2, out var parsed, out var problem))
        {
            return Task.FromResult(UsageError(error, problem!));
        }
        if (parsed.Positional.Count == 0 || !string.Equals(parsed.Positional[0], "deals", StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(UsageError(error, parsed.Positional.Count == 0
                ? "Say what to import: 'import deals FILE'."
                : $"'{parsed.Positional[0]}' cannot be imported; KpiBot imports 'deals'."));
        }
        if (parsed.Positional.Count != 2)
        {
            return Task.FromResult(UsageError(error, parsed.Positional.Count < 2 ? "Give the CSV file: 'import deals FILE'." : $"One file at a time; '{parsed.Positional[2]}' is extra."));
        }
        if (!parsed.Options.TryGetValue("workspace", out var workspace))
        {
            return Task.FromResult(UsageError(error, "--workspace is required, for example --workspace local:demo or --workspace slack:T0123."));
        }

        CrmFormat format;
        var formatText = parsed.Options.GetValueOrDefault("format", "auto");
        if (!Enum.TryParse(formatText, ignoreCase: true, out format) || !Enum.IsDefined(format) || int.TryParse(formatText, out _))
        {
            return Task.FromResult(UsageError(error, $"--format '{formatText}' is not known; use auto, maven or generic."));
        }

        try
        {
            var request = new DealImportRequest(
                UserPath(parsed.Positional[1])!,
                workspace,
                parsed.Options.GetValueOrDefault("team"),
                format,
                CrmCsv.ParseMap(parsed.Options.GetValueOrDefault("map")),
                parsed.Options.GetValueOrDefault("currency"),
                UserPath(parsed.Options.GetValueOrDefault("people")),
                UserPath(parsed.Options.GetValueOrDefault("products")),
                parsed.Options.GetValueOrDefault("author", DealImporter.DefaultAuthor));
            // Read and check the files before the database is opened (or created).
            var prepared = DealImporter.Prepare(request);
            var dbPath = UserPath(parsed.Options.GetValueOrDefault("db")) ?? ConfiguredDatabasePath();
            using var context = OpenDatabase(dbPath);
            var store = new LiteDbKpiStore(context, TimeProvider.System);
            var report = new DealImporter(store, TimeProvider.System).Import(prepared);
            report.WriteTo(output);
            output.WriteLine($"Database: {context.Path ?? dbPath}");
            return Task.FromResult(ExitCodes.Success);
        }
        catch (ImportFileException e)
        {
            error.WriteLine(e.Message);
            error.WriteLine("Nothing was stored.");
            return Task.FromResult(ExitCodes.BadInput);
        }
    }

    /// <summary>
    /// A path the user typed, made absolute against the directory they typed it in. <c>dotnet run --project
    /// src/KpiBot</c> starts the program in the project folder, so the process's current directory is not
    /// the shell's; Unix shells pass theirs in <c>PWD</c>. (The configured Storage:LiteDbPath is not a typed
    /// path: it resolves against the process directory, exactly as when the bot itself starts.)
    /// </summary>
    internal static string? UserPath(string? typed)
    {
        if (string.IsNullOrWhiteSpace(typed) || Path.IsPathRooted(typed))
        {
            return typed;
        }
        var shell = Environment.GetEnvironmentVariable("PWD");
        var baseDirectory = !string.IsNullOrEmpty(shell) && Directory.Exists(shell) ? shell : Environment.CurrentDirectory;
        return Path.GetFullPath(Path.Combine(baseDirectory, typed));
    }

    private int UsageError(TextWriter error, string problem)
    {
        error.WriteLine(problem);
        error.WriteLine("Usage: " + Usage);
        return ExitCodes.Usage;
    }

    /// <summary>
    /// Storage:LiteDbPath as the bot would read it: appsettings.json (and appsettings.{Environment}.json)
    /// beside the program, then environment variables (Storage__LiteDbPath). Relative paths are relative
    /// to the working directory, exactly as for the bot.
    /// </summary>
    internal static string ConfiguredDatabasePath()
    {
        var environment = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? "Production";
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{environment}.json", optional: true)
            .AddEnvironmentVariables()
            .Build();
        var options = new StorageOptions();
        configuration.GetSection(StorageOptions.Section).Bind(options);
        var validation = new StorageOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new ImportFileException(validation.FailureMessage);
        }
        return options.LiteDbPath;
    }

    internal static LiteDbContext OpenDatabase(string path)
    {
        if (string.Equals(path, StorageOptions.InMemoryPath, StringComparison.OrdinalIgnoreCase))
        {
            throw new ImportFileException($"The database is '{StorageOptions.InMemoryPath}', so an import would vanish when the command ends; give a file with --db data/kpibot.db.");
        }
        try
        {
            return new LiteDbContext(path);
        }
        catch (IOException e)
        {
            throw new ImportFileException($"The database '{Path.GetFullPath(path)}' cannot be opened ({e.Message}). If the bot is running on it, stop it first or import into another file with --db.", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ImportFileException($"The database '{Path.GetFullPath(path)}' cannot be written ({e.Message}); choose a writable path with --db.", e);
        }
    }
}
