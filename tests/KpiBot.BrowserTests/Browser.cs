using Microsoft.Playwright;

namespace KpiBot.BrowserTests;

/// <summary>
/// Debian's Chromium driven by Playwright (Playwright cannot download its own browser here). When the browser
/// or the npm packages are missing the tests FAIL with the command that installs them — never skip silently.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    /// <summary>Where scripts/setup-browser-tests.sh puts Chromium (override with KPIBOT_CHROMIUM).</summary>
    public static string ChromiumPath => Environment.GetEnvironmentVariable("KPIBOT_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private IPlaywright? playwright;

    /// <summary>The launched browser.</summary>
    public IBrowser Instance { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium was not found at {ChromiumPath}. Run scripts/setup-browser-tests.sh (it installs Debian's chromium and the npm packages; CI runs it) and try again.");
        }

        playwright = await Playwright.CreateAsync();
        Instance = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
            ],
        });
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (Instance is not null)
        {
            await Instance.CloseAsync();
        }

        playwright?.Dispose();
    }

    /// <summary>The repository root (the folder holding KpiBot.sln).</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KpiBot.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("KpiBot.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The official Adaptive Cards renderer script, installed from npm by the setup script.</summary>
    public static string AdaptiveCardsScript()
    {
        var path = Path.Combine(RepositoryRoot(), "tests", "KpiBot.BrowserTests", "js", "node_modules", "adaptivecards", "dist", "adaptivecards.min.js");
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"The Adaptive Cards renderer is not installed ({path} is missing). Run scripts/setup-browser-tests.sh (npm ci in tests/KpiBot.BrowserTests/js) and try again.");
        }

        return path;
    }
}

/// <summary>One browser and one server shared by the tests of a class.</summary>
public sealed class BrowserAndServer : IAsyncLifetime
{
    /// <summary>The browser.</summary>
    public Browser Browser { get; } = new();

    /// <summary>The running app.</summary>
    public KpiBotServer Server { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Server = new KpiBotServer();
        await Browser.InitializeAsync();
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        await Server.DisposeAsync();
    }
}
