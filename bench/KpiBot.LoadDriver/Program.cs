namespace KpiBot.LoadDriver;

/// <summary>Load driver entry point (filled in by the speed work of the conversation issue).</summary>
public static class LoadDriverProgram
{
    /// <summary>Entry point.</summary>
    public static int Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        Console.Error.WriteLine("usage: KpiBot.LoadDriver (not implemented yet)");
        return 2;
    }
}
