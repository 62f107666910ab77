using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using KpiBot.Charts;
using KpiBot.Conversation;
using KpiBot.Replies;
using KpiBot.Tests.Rendering;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KpiBot.BrowserTests;

/// <summary>
/// <c>POST /api/dev/chat</c> and <c>GET /charts/{id}.png</c> over HTTP (in-memory server, no browser needed).
/// A recording bot stands in for the engine so the tests can see the exact <see cref="IncomingMessage"/>.
/// </summary>
public sealed class ChatApiTests : IDisposable
{
    private readonly string dataFolder = Path.Combine(Path.GetTempPath(), "kpibot-api-" + Guid.NewGuid().ToString("N"));
    private readonly RecordingBot bot = new();

    [Fact]
    public async Task A_message_reaches_the_bot_as_a_local_personal_message_and_comes_back_in_every_format()
    {
        using var factory = Create("Development");
        using var client = factory.CreateClient();

        var response = await client.PostAsJsonAsync("/api/dev/chat", new { workspace = "demo", userId = "anna", userName = "Anna Berg", text = "  how am I trending ", timeZone = "Europe/Stockholm" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var message = Assert.Single(bot.Received);
        Assert.Equal(Domain.Platform.Local, message.Platform);
        Assert.Equal("local:demo", message.WorkspaceId);
        Assert.Equal("anna", message.UserId);
        Assert.Equal("Anna Berg", message.UserName);
        Assert.Equal("how am I trending", message.Text);
        Assert.Equal(ConversationKind.Personal, message.Kind);
        Assert.Equal("Europe/Stockholm", message.TimeZoneId);
        Assert.Null(message.Form);
        var reply = Assert.Single((await response.Content.ReadFromJsonAsync<JsonObject>())!["replies"]!.AsArray())!;
        Assert.StartsWith("Anna Berg — revenue won [Crisis]", reply["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("AdaptiveCard", reply["adaptiveCard"]!["type"]!.GetValue<string>());
        Assert.Equal("header", reply["slackBlocks"]![0]!["type"]!.GetValue<string>());
        Assert.Contains("<span class=\"kb-badge kb-warning\">Crisis</span>", reply["html"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_request_gets_a_fresh_source_id_unless_it_brings_a_message_id()
    {
        using var factory = Create("Development");
        using var client = factory.CreateClient();

        await client.PostAsJsonAsync("/api/dev/chat", new { workspace = "demo", userId = "anna", userName = "Anna", text = "help" });
        await client.PostAsJsonAsync("/api/dev/chat", new { workspace = "demo", userId = "anna", userName = "Anna", text = "help" });
        await client.PostAsJsonAsync("/api/dev/chat", new { workspace = "demo", userId = "anna", userName = "Anna", text = "help", messageId = "m-1" });
        await client.PostAsJsonAsync("/api/dev/chat", new { workspace = "demo", userId = "anna", userName = "Anna", text = "help", messageId = "m-1" });

        var ids = bot.Received.Select(m => m.SourceId).ToList();
        Assert.NotEqual(ids[0], ids[1]);
        Assert.Equal(ids[2], ids[3]);
        Assert.Equal("local:m-1", ids[2]);
    }

    [Fact]
    public async Task A_form_submission_carries_the_form_id_and_values_as_strings()
    {
        using var factory = Create("Development");
        using var client = factory.CreateClient();

        var response = await client.PostAsJsonAsync("/api/dev/chat", new { workspace = "demo", userId = "anna", userName = "Anna", form = new { formId = "log-daily", values = new Dictionary<string, object?> { ["booked"] = 5, ["held"] = "3", ["note"] = null } } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var form = Assert.Single(bot.Received).Form!;
        Assert.Equal("log-daily", form.FormId);
        Assert.Equal(new Dictionary<string, string> { ["booked"] = "5", ["held"] = "3" }, form.Values);
    }

    [Theory]
    [InlineData("{\"userId\":\"a\",\"userName\":\"A\",\"text\":\"hi\"}", "\"workspace\" is missing")]
    [InlineData("{\"workspace\":\"has space\",\"userId\":\"a\",\"userName\":\"A\",\"text\":\"hi\"}", "\"workspace\" \"has space\" is not usable")]
    [InlineData("{\"workspace\":\"demo\",\"userName\":\"A\",\"text\":\"hi\"}", "\"userId\" is missing")]
    [InlineData("{\"workspace\":\"demo\",\"userId\":\"a\",\"text\":\"hi\"}", "\"userName\" is missing")]
    [InlineData("{\"workspace\":\"demo\",\"userId\":\"a\",\"userName\":\"A\",\"text\":\"  \"}", "\"text\" is empty")]
    [InlineData("{\"workspace\":\"demo\",\"userId\":\"a\",\"userName\":\"A\",\"form\":{\"values\":{}}}", "\"form.formId\" is missing")]
    [InlineData("{\"workspace\":\"demo\",\"userId\":\"a\",\"userName\":\"A\",\"text\":\"hi\",\"timeZone\":\"Mars/Olympus\"}", "\"timeZone\" \"Mars/Olympus\" is not a known IANA zone")]
    [InlineData("{\"workspace\":\"demo\",", "The body is not valid JSON")]
    public async Task Bad_requests_get_a_400_naming_what_was_wrong_and_never_reach_the_bot(string body, string expected)
    {
        using var factory = Create("Development");
        using var client = factory.CreateClient();

        var response = await client.PostAsync("/api/dev/chat", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.GetValue<string>();
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Contains("{\"workspace\":\"demo\"", error, StringComparison.Ordinal); // says what would work
        Assert.Empty(bot.Received);
    }

    [Fact]
    public async Task Outside_Development_the_page_and_the_api_do_not_exist()
    {
        using var factory = Create("Production");
        using var client = factory.CreateClient();

        var api = await client.PostAsJsonAsync("/api/dev/chat", new { workspace = "demo", userId = "anna", userName = "Anna", text = "help" });
        var page = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Empty(bot.Received);
    }

    [Fact]
    public async Task Bot_DevChat_true_turns_the_local_chat_on_outside_Development()
    {
        using var factory = Create("Production", devChat: true);
        using var client = factory.CreateClient();

        var page = await client.GetAsync("/");
        var api = await client.PostAsJsonAsync("/api/dev/chat", new { workspace = "demo", userId = "anna", userName = "Anna", text = "help" });

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("KpiBot", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
    }

    [Fact]
    public async Task Chart_png_is_served_under_its_id_with_immutable_caching_and_unknown_ids_get_404()
    {
        using var factory = Create("Production");
        using var client = factory.CreateClient();
        var charts = factory.Services.GetRequiredService<IChartImages>();
        var path = charts.PathFor(SampleReplies.Trend.Blocks.OfType<Chart>().Single());

        var png = await client.GetAsync(path);
        var unknown = await client.GetAsync("/charts/AAAAAAAAAAAAAAAAAAAAAAAAAAA.png");
        var malformed = await client.GetAsync("/charts/1.png");

        Assert.Equal(HttpStatusCode.OK, png.StatusCode);
        Assert.Equal("image/png", png.Content.Headers.ContentType!.MediaType);
        Assert.Equal("public, max-age=31536000, immutable", png.Headers.CacheControl!.ToString());
        var bytes = await png.Content.ReadAsByteArrayAsync();
        Assert.Equal(0x89, bytes[0]);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, malformed.StatusCode);
        Assert.Equal("https://bot.example.com" + path, charts.UrlFor(SampleReplies.Trend.Blocks.OfType<Chart>().Single()));
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
                // A store may still hold a file briefly; the OS cleans the temp folder.
            }
        }
    }

    private WebApplicationFactory<Program> Create(string environment, bool devChat = false) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment(environment);
            builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:LiteDbPath"] = Path.Combine(dataFolder, "kpibot.db"),
                ["Bot:PublicBaseUrl"] = "https://bot.example.com",
                ["Bot:DevChat"] = devChat ? "true" : "false",
            }));
            builder.ConfigureTestServices(services =>
            {
                services.RemoveAll<IBot>();
                services.AddSingleton<IBot>(bot);
            });
        });

    private sealed class RecordingBot : IBot
    {
        private readonly List<IncomingMessage> received = [];

        public IReadOnlyList<IncomingMessage> Received
        {
            get
            {
                lock (received)
                {
                    return [.. received];
                }
            }
        }

        public Task<BotResponse> HandleAsync(IncomingMessage message, CancellationToken cancellationToken)
        {
            lock (received)
            {
                received.Add(message);
            }

            return Task.FromResult(BotResponse.Of(SampleReplies.Trend));
        }
    }
}
