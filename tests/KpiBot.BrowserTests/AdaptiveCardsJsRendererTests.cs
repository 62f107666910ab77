using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using KpiBot.Rendering;
using KpiBot.Tests.Rendering;
using Microsoft.Extensions.DependencyInjection;

namespace KpiBot.BrowserTests;

/// <summary>
/// Every kind of card KpiBot sends, parsed, validated and rendered by the official Adaptive Cards JavaScript
/// renderer (npm <c>adaptivecards</c>) in Chromium. Any parse or validation event fails the test, except the
/// "unknown element" notice for Teams-only <c>Chart.*</c> elements, whose PNG fallback must then render.
/// </summary>
public sealed class AdaptiveCardsJsRendererTests(BrowserAndServer fixture) : IClassFixture<BrowserAndServer>
{
    private const string RenderAll = """
        async (cards) => {
          const results = [];
          const host = document.createElement('div');
          document.body.appendChild(host);
          for (const { name, native, card } of cards) {
            const events = [];
            let rendered = null;
            try {
              const adaptiveCard = new AdaptiveCards.AdaptiveCard();
              const context = new AdaptiveCards.SerializationContext();
              adaptiveCard.parse(JSON.parse(card), context);
              for (let i = 0; i < context.eventCount; i++) events.push('parse: ' + context.getEventAt(i).message);
              for (const e of adaptiveCard.validateProperties().validationEvents) events.push('validate: ' + e.message);
              rendered = adaptiveCard.render();
            } catch (e) {
              events.push('threw: ' + e.message);
            }
            if (rendered) {
              const section = document.createElement('section');
              section.dataset.card = name;
              section.appendChild(rendered);
              host.appendChild(section);
            } else {
              events.push('render returned nothing');
            }
            results.push({ name, native, events, textLength: rendered ? rendered.innerText.length : 0, images: rendered ? rendered.querySelectorAll('img').length : 0 });
          }
          return results;
        }
        """;

    [Fact]
    public async Task Every_card_the_bot_sends_renders_without_errors_or_warnings_in_the_official_renderer()
    {
        var cards = CollectCards();
        cards.AddRange(await CardsFromTheChatApi());
        var page = await fixture.Browser.Instance.NewPageAsync();
        await page.GotoAsync(fixture.Server.BaseUrl + "/");
        await page.AddScriptTagAsync(new() { Path = Browser.AdaptiveCardsScript() });

        var results = await page.EvaluateAsync<JsonElement>(RenderAll, cards.Select(c => new { name = c.Name, native = c.Native, card = c.Card.ToJsonString() }).ToArray());

        var problems = new List<string>();
        foreach (var result in results.EnumerateArray())
        {
            var name = result.GetProperty("name").GetString()!;
            var native = result.GetProperty("native").GetBoolean();
            foreach (var message in result.GetProperty("events").EnumerateArray().Select(e => e.GetString()!))
            {
                // Teams chart elements are unknown to the 1.5 renderer by design; their fallback image is used.
                if (native && message.Contains("Chart.", StringComparison.Ordinal))
                {
                    continue;
                }

                problems.Add($"{name} (native charts: {native}): {message}");
            }

            if (result.GetProperty("textLength").GetInt32() == 0)
            {
                problems.Add($"{name}: rendered no text");
            }
        }

        Assert.True(problems.Count == 0, "The Adaptive Cards renderer reported:\n" + string.Join('\n', problems));
        Assert.Contains(results.EnumerateArray(), r => r.GetProperty("images").GetInt32() > 0);

        // Every chart image (PNG and native-chart fallbacks alike) is served and decodes.
        await page.WaitForFunctionAsync("() => [...document.images].every(i => i.complete)");
        var broken = await page.EvaluateAsync<string[]>("() => [...document.images].filter(i => i.naturalWidth === 0).map(i => i.src)");
        Assert.Empty(broken);
        var imageCount = await page.EvaluateAsync<int>("() => document.images.length");
        Assert.True(imageCount >= 8, $"expected the chart images of the sample cards, found {imageCount}");
    }

    private List<(string Name, bool Native, JsonObject Card)> CollectCards()
    {
        var renderer = fixture.Server.Services.GetRequiredService<IAdaptiveCardRenderer>();
        var cards = new List<(string, bool, JsonObject)>();
        foreach (var (name, reply) in SampleReplies.All)
        {
            cards.Add((name, false, renderer.Render(reply, new AdaptiveCardOptions(NativeCharts: false))));
            cards.Add((name, true, renderer.Render(reply, new AdaptiveCardOptions(NativeCharts: true))));
        }

        return cards;
    }

    /// <summary>Cards the running bot produces for the commands people type most.</summary>
    private async Task<List<(string Name, bool Native, JsonObject Card)>> CardsFromTheChatApi()
    {
        using var http = new HttpClient { BaseAddress = new Uri(fixture.Server.BaseUrl) };
        var workspace = "cards-" + Guid.NewGuid().ToString("N")[..8];
        string[] commands =
        [
            "help", "log booked 5 held 3 qualified 2", "log", "my week", "my stats", "how am I trending", "my funnel",
            "demo", "how is David trending", "funnel for Fredrik", "my pipeline", "team", "team status", "who needs coaching",
            "forecast accuracy", "metrics", "stages", "won Acme 120k", "deal Globex 250k stage proposal close 2027-01-31",
            "undo", "bookd 5", "how is Nobody trending",
        ];
        var cards = new List<(string, bool, JsonObject)>();
        foreach (var command in commands)
        {
            var response = await http.PostAsJsonAsync("/api/dev/chat", new { workspace, userId = "anna", userName = "Anna Berg", text = command });
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadFromJsonAsync<JsonObject>();
            var i = 0;
            foreach (var reply in body!["replies"]!.AsArray())
            {
                cards.Add(($"chat \"{command}\" #{++i}", false, reply!["adaptiveCard"]!.AsObject()));
            }
        }

        return cards;
    }
}
