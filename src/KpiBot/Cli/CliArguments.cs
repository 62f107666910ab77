namespace KpiBot.Cli;

/// <summary>Positional arguments and <c>--name value</c> / <c>--name=value</c> options.</summary>
internal sealed record CliArguments(IReadOnlyList<string> Positional, IReadOnlyDictionary<string, string> Options)
{
    /// <summary>True when the flag (an option without a value, such as <c>--json</c>) was given.</summary>
    public bool Has(string flag) => Options.ContainsKey(flag);

    /// <summary>Parses options with values only.</summary>
    public static bool TryParse(IReadOnlyList<string> args, IReadOnlyCollection<string> valueOptions, int firstNumber, out CliArguments parsed, out string? problem) =>
        TryParse(args, valueOptions, [], firstNumber, out parsed, out problem);

    /// <summary>
    /// Parses <paramref name="args"/>; <paramref name="flags"/> are options without a value. Problems name the
    /// argument's position counted from <paramref name="firstNumber"/> (the command name's arguments come first).
    /// </summary>
    public static bool TryParse(IReadOnlyList<string> args, IReadOnlyCollection<string> valueOptions, IReadOnlyCollection<string> flags, int firstNumber, out CliArguments parsed, out string? problem)
    {
        var positional = new List<string>();
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        parsed = new CliArguments(positional, options);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                positional.Add(arg);
                continue;
            }
            var name = arg[2..];
            string? value = null;
            var equals = name.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                value = name[(equals + 1)..];
                name = name[..equals];
            }
            if (value is null && flags.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                value = "true";
            }
            else if (!valueOptions.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                problem = $"Unknown option '--{name}' (argument {i + firstNumber}). Options: {string.Join(", ", valueOptions.Concat(flags).Select(o => "--" + o))}.";
                return false;
            }
            if (value is null)
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    problem = $"--{name} needs a value (argument {i + firstNumber}).";
                    return false;
                }
                value = args[++i];
            }
            if (!options.TryAdd(name, value))
            {
                problem = $"--{name} is given twice (argument {i + firstNumber}).";
                return false;
            }
        }
        problem = null;
        return true;
    }
}
