using System.Net;
using System.Net.Sockets;
using KpiBot.Conversation;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KpiBot.BrowserTests;

/// <summary>
/// The real KpiBot host on a real loopback port (a browser can't reach WebApplicationFactory's in-memory
/// TestServer), in Development with its own temporary data folder.
/// </summary>
public sealed class KpiBotServer : WebApplicationFactory<Program>
{
    private readonly string dataFolder = Path.Combine(Path.GetTempPath(), "kpibot-browser-" + Guid.NewGuid().ToString("N"));

    /// <summary>Starts the server.</summary>
    public KpiBotServer()
    {
        Port = FreeLoopbackPort();
        UseKestrel(options => options.Listen(IPAddress.Loopback, Port));
        StartServer();
    }

    /// <summary>The port Kestrel listens on.</summary>
    public int Port { get; }

    /// <summary>The server's base address, e.g. <c>http://127.0.0.1:40123</c>.</summary>
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>True when the conversation engine of the build answered, false when the scripted stand-in did.</summary>
    public bool UsesRealBot => Services.GetRequiredService<IBot>() is not ScriptedBot;

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Development");
        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:LiteDbPath"] = Path.Combine(dataFolder, "kpibot.db"),
            ["Bot:PublicBaseUrl"] = BaseUrl,
        }));
        // Only when this build has no conversation engine registered: a scripted bot answering with the
        // sample replies, so the page and the cards can still be checked end to end.
        builder.ConfigureTestServices(services => services.TryAddSingleton<IBot, ScriptedBot>());
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(dataFolder))
        {
            try
            {
                Directory.Delete(dataFolder, recursive: true);
            }
            catch (IOException)
            {
                // LiteDB may still hold the file for a moment; the temp folder is cleaned by the OS later.
            }
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
