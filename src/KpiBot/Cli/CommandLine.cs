namespace KpiBot.Cli;

/// <summary>The command-line tools: <c>import deals …</c> and <c>kpis …</c>.</summary>
public static class CommandLine
{
    private static readonly string[] Commands = ["import", "kpis"];

    /// <summary>True when the arguments name a command-line tool rather than starting the bot.</summary>
    public static bool IsCommand(string[] args) => args.Length > 0 && Commands.Contains(args[0], StringComparer.OrdinalIgnoreCase);

    /// <summary>Runs the tool; returns the process exit code (0 success, 1 bad input, 2 usage).</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        error.WriteLine($"'{args[0]}' is not implemented yet.");
        return Task.FromResult(2);
    }
}
