using KpiBot.Cli;
using KpiBot.Hosting;

// `dotnet run --project src/KpiBot -- import …` / `-- kpis …` run a command-line tool and exit;
// with no command the bot starts (embedded LiteDB store, local chat page in Development).
if (CommandLine.IsCommand(args))
{
    return await CommandLine.RunAsync(args, Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddKpiBot();

var app = builder.Build();
app.MapKpiBot();
await app.RunAsync();
return 0;

/// <summary>The web host's entry point; public so functional tests can start it with WebApplicationFactory.</summary>
public partial class Program;
