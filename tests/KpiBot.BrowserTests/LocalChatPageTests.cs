using Microsoft.Playwright;

namespace KpiBot.BrowserTests;

/// <summary>The local chat page in a real browser against the real host.</summary>
public sealed class LocalChatPageTests(BrowserAndServer fixture) : IClassFixture<BrowserAndServer>
{
    [Fact]
    public async Task Log_numbers_then_ask_for_a_trend_and_see_the_state_badge_and_the_chart()
    {
        var page = await fixture.Browser.Instance.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1100, Height = 1300 } });
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        await page.GotoAsync(fixture.Server.BaseUrl + "/");
        await page.FillAsync("#workspace", "browser-" + Guid.NewGuid().ToString("N")[..8]);
        await page.FillAsync("#userName", "Anna Berg");

        await Say(page, "log booked 5 held 3");
        var confirmation = page.Locator(".msg.bot").Last;
        await Assertions.Expect(confirmation).ToContainTextAsync("Logged");
        await Assertions.Expect(confirmation.Locator(".kb-facts")).ToContainTextAsync("5");

        // A trend needs weeks of history: the demo team brings 14 weeks, with David in sharp decline.
        await Say(page, "demo");
        await Say(page, "how is David trending");
        var trend = page.Locator(".msg.bot").Last;
        await Assertions.Expect(trend.Locator(".kb-heading .kb-badge")).ToHaveTextAsync("Danger");
        await Assertions.Expect(trend.Locator(".kb-heading .kb-badge")).ToBeVisibleAsync();
        var image = trend.Locator(".kb-chart img");
        await Assertions.Expect(image).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("img => img.complete", await image.ElementHandleAsync());
        var naturalWidth = await image.EvaluateAsync<int>("img => img.naturalWidth");
        Assert.True(naturalWidth > 0, "the chart image did not load");
        Assert.Equal(800, naturalWidth);

        var screenshot = Path.Combine(Browser.RepositoryRoot(), "docs", "images", "local-chat.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = false });
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_button_in_a_reply_sends_its_command_and_the_json_switch_shows_both_payloads()
    {
        var page = await fixture.Browser.Instance.NewPageAsync();
        await page.GotoAsync(fixture.Server.BaseUrl + "/");
        await page.FillAsync("#workspace", "buttons-" + Guid.NewGuid().ToString("N")[..8]);

        await Say(page, "log booked 2");
        var before = await page.Locator(".msg.user").CountAsync();
        var repliesBefore = await page.Locator(".msg.bot").CountAsync();
        var button = page.Locator(".msg.bot").Last.Locator("button[data-command]").First;
        var command = await button.GetAttributeAsync("data-command");
        await button.ClickAsync();

        await Assertions.Expect(page.Locator(".msg.user")).ToHaveCountAsync(before + 1);
        await Assertions.Expect(page.Locator(".msg.user").Last).ToHaveTextAsync(command!);
        await Assertions.Expect(page.Locator(".msg.bot")).Not.ToHaveCountAsync(repliesBefore, new() { Timeout = 15_000 });

        var json = page.Locator(".msg.bot").Last.Locator(".json");
        await Assertions.Expect(json).ToBeHiddenAsync();
        await page.CheckAsync("#showJson");
        await Assertions.Expect(json).ToBeVisibleAsync();
        await json.Locator("summary", new LocatorLocatorOptions { HasText = "Adaptive Card" }).ClickAsync();
        await Assertions.Expect(json.Locator("pre").First).ToContainTextAsync("\"type\": \"AdaptiveCard\"");
        await json.Locator("summary", new LocatorLocatorOptions { HasText = "Block Kit" }).ClickAsync();
        await Assertions.Expect(json.Locator("pre").Nth(1)).ToContainTextAsync("\"type\":");
    }

    [Fact]
    public async Task The_logging_form_submits_its_values()
    {
        var page = await fixture.Browser.Instance.NewPageAsync();
        await page.GotoAsync(fixture.Server.BaseUrl + "/");
        await page.FillAsync("#workspace", "form-" + Guid.NewGuid().ToString("N")[..8]);

        await Say(page, "my week");
        var form = page.Locator(".msg.bot").Last.Locator("form[data-form-id]");
        await Assertions.Expect(form).ToBeVisibleAsync();
        var numberInputs = form.Locator("input[type=number]");
        Assert.True(await numberInputs.CountAsync() > 0, "the logging form has no number inputs");
        await numberInputs.First.FillAsync("4");
        var repliesBefore = await page.Locator(".msg.bot").CountAsync();
        await form.Locator("button[type=submit]").ClickAsync();

        await Assertions.Expect(page.Locator(".msg.user").Last).ToContainTextAsync("4");
        await Assertions.Expect(page.Locator(".msg.bot")).Not.ToHaveCountAsync(repliesBefore, new() { Timeout = 15_000 });
        var logged = page.Locator(".msg.bot").Last;
        await Assertions.Expect(logged).ToContainTextAsync("Logged");
        await Assertions.Expect(logged.Locator(".kb-facts")).ToContainTextAsync("4");
        await Assertions.Expect(page.Locator(".msg.error")).ToHaveCountAsync(0);
    }

    private static async Task Say(IPage page, string text)
    {
        var replies = await page.Locator(".msg.bot, .msg.error").CountAsync();
        var console = new List<string>();
        void OnConsole(object? sender, IConsoleMessage message) => console.Add(message.Type + ": " + message.Text);
        void OnError(object? sender, string error) => console.Add("page error: " + error);
        page.Console += OnConsole;
        page.PageError += OnError;
        try
        {
            await page.FillAsync("#text", text);
            await page.PressAsync("#text", "Enter");
            await Assertions.Expect(page.Locator(".msg.bot, .msg.error")).Not.ToHaveCountAsync(replies, new() { Timeout = 15_000 });
            await Assertions.Expect(page.Locator(".msg.error")).ToHaveCountAsync(0);
        }
        catch (PlaywrightException ex)
        {
            throw new InvalidOperationException($"No reply to \"{text}\". Page said:\n{string.Join('\n', console)}\n{await page.Locator("#log").InnerHTMLAsync()}", ex);
        }
        finally
        {
            page.Console -= OnConsole;
            page.PageError -= OnError;
        }
    }
}
