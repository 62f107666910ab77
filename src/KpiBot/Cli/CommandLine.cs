namespace KpiBot.Cli;

/// <summary>One command-line tool (<c>import</c>, <c>kpis</c>): a name in the dispatch table and a run method.</summary>
public interface ICliCommand
{
    /// <summary>The first argument that selects the command (<c>import</c>).</summary>
    string Name { get; }

    /// <summary>One-line usage printed by <c>help</c> and on a usage error.</summary>
    string Usage { get; }

    /// <summary>Runs with the arguments after the command name; returns the exit code.</summary>
    Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error);
}

/// <summary>Process exit codes of the command-line tools.</summary>
public static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Success = 0;
    /// <summary>The input (file, workspace, options' values) was refused; nothing was stored.</summary>
    public const int BadInput = 1;
    /// <summary>The command line itself was wrong (unknown command or option, missing argument).</summary>
    public const int Usage = 2;
}

/// <summary>
/// The command-line tools: a small dispatch table of <see cref="ICliCommand"/>s. Add a command by adding
/// an instance to <see cref="Commands"/>; a duplicate name fails at first use, like a duplicate route.
/// </summary>
public static class CommandLine
{
    /// <summary>Every command, by name.</summary>
    public static IReadOnlyList<ICliCommand> Commands { get; } = [new ImportCommand(), new KpisCommand()];

    private static readonly Lazy<IReadOnlyDictionary<string, ICliCommand>> Table = new(() =>
    {
        var table = new Dictionary<string, ICliCommand>(StringComparer.OrdinalIgnoreCase);
        foreach (var command in Commands)
        {
            if (!table.TryAdd(command.Name, command))
            {
                throw new InvalidOperationException($"Two command-line tools are named '{command.Name}'.");
            }
        }
        return table;
    });

    /// <summary>True when the arguments name a command-line tool rather than starting the bot.</summary>
    public static bool IsCommand(string[] args) => args is { Length: > 0 } && Table.Value.ContainsKey(args[0]);

    /// <summary>Runs the tool; returns the process exit code (0 success, 1 bad input, 2 usage).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args.Length == 0 || !Table.Value.TryGetValue(args[0], out var command))
        {
            error.WriteLine(args.Length == 0 ? "No command given." : $"'{args[0]}' is not a KpiBot command.");
            foreach (var known in Commands)
            {
                error.WriteLine("  " + known.Usage);
            }
            return ExitCodes.Usage;
        }
        return await command.RunAsync(args[1..], output, error).ConfigureAwait(false);
    }
}
