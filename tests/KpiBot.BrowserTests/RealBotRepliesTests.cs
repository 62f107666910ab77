using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using KpiBot.Tests.Rendering;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace KpiBot.BrowserTests;

/// <summary>
/// The real conversation engine's replies to the commands people type, through <c>POST /api/dev/chat</c>:
/// every Adaptive Card validates against the official 1.5 schema and every Block Kit message stays within
/// Slack's limits (no browser needed).
/// </summary>
public sealed class RealBotRepliesTests : IDisposable
{
    private static readonly string[] Commands =
    [
        "hello", "help", "log booked 5 held 3 qualified 2", "my week", "how am I trending", "demo", "team status",
        "how is David trending", "funnel for Fredrik", "my pipeline", "forecast accuracy", "who needs coaching",
        "metrics", "stages", "won Acme 120k", "undo", "bookd 5", "how is Nobody trending",
    ];

    private readonly string dataFolder = Path.Combine(Path.GetTempPath(), "kpibot-real-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Every_reply_of_the_real_bot_is_a_valid_card_and_a_slack_message_within_limits()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Development");
            builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:LiteDbPath"] = Path.Combine(dataFolder, "kpibot.db"),
                ["Bot:PublicBaseUrl"] = "https://bot.example.com",
            }));
        });
        using var client = factory.CreateClient();
        var problems = new List<string>();
        var replies = 0;

        foreach (var command in Commands)
        {
            var response = await client.PostAsJsonAsync("/api/dev/chat", new { workspace = "real", userId = "anna", userName = "Anna Berg", text = command });
            response.EnsureSuccessStatusCode();
            foreach (var reply in (await response.Content.ReadFromJsonAsync<JsonObject>())!["replies"]!.AsArray())
            {
                replies++;
                var card = reply!["adaptiveCard"]!.AsObject();
                var result = SchemaFiles.AdaptiveCard.Evaluate(card, new EvaluationOptions { OutputFormat = OutputFormat.List });
                if (!result.IsValid)
                {
                    problems.Add($"\"{command}\": card fails the 1.5 schema: " + string.Join("; ", result.Details.Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} {e.Value}")).Take(3)));
                }

                var blocks = reply["slackBlocks"]!.AsArray();
                if (blocks.Count is 0 or > 50)
                {
                    problems.Add($"\"{command}\": {blocks.Count} Slack blocks");
                }

                foreach (var block in blocks)
                {
                    var type = block!["type"]!.GetValue<string>();
                    var text = block["text"]?["text"]?.GetValue<string>();
                    if ((type == "header" && text!.Length > 150) || (type == "section" && text is not null && text.Length > 3000))
                    {
                        problems.Add($"\"{command}\": {type} text of {text.Length} characters");
                    }

                    if (block["fields"] is JsonArray fields && (fields.Count > 10 || fields.Any(f => f!["text"]!.GetValue<string>().Length > 2000)))
                    {
                        problems.Add($"\"{command}\": section fields over the limit");
                    }

                    if (type == "actions" && block["elements"]!.AsArray().Count > 25)
                    {
                        problems.Add($"\"{command}\": more than 25 buttons in one actions block");
                    }
                }

                if (reply["html"]!.GetValue<string>().Contains("<script", StringComparison.OrdinalIgnoreCase))
                {
                    problems.Add($"\"{command}\": HTML contains a script tag");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
        Assert.True(replies >= Commands.Length, $"expected at least one reply per command, got {replies}");
    }

    public void Dispose()
    {
        if (Directory.Exists(dataFolder))
        {
            try
            {
                Directory.Delete(dataFolder, recursive: true);
            }
            catch (IOException)
            {
                // The OS cleans the temp folder.
            }
        }
    }
}
