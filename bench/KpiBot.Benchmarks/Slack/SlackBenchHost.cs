using System.Net;
using System.Text;
using KpiBot.Channels.Slack;
using KpiBot.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KpiBot.Benchmarks.Slack;

/// <summary>
/// KpiBot on a loopback Kestrel port in Production with the Slack channel on, the real bot and a LiteDB file; Slack's
/// Web API is an in-process fake that answers every call with success. Shared by the Slack benchmarks.
/// </summary>
public static class SlackBenchHost
{
    /// <summary>The signing secret the benchmarks sign with.</summary>
    public const string Secret = "8f742231b10e8888abcd99yyyzzz85a5";

    /// <summary>Starts the host on a free port with its store at <paramref name="dbPath"/>.</summary>
    public static async Task<WebApplication> StartAsync(string dbPath)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Slack:SigningSecret"] = Secret,
            ["Slack:BotToken"] = "xoxb-bench",
            ["Slack:ApiBaseUrl"] = "https://slack.bench/api/",
            ["Storage:LiteDbPath"] = dbPath,
        });
        builder.AddKpiBot();
        builder.Services.AddHttpClient(SlackWebApi.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => new OkSlack());
        var app = builder.Build();
        app.MapKpiBot();
        await app.StartAsync();
        return app;
    }

    /// <summary>The address the started host listens on.</summary>
    public static Uri Address(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    /// <summary>Answers every Web API call and response_url post with success.</summary>
    private sealed class OkSlack : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var json = request.RequestUri!.AbsolutePath.EndsWith("users.info", StringComparison.Ordinal)
                ? """{"ok":true,"user":{"id":"U2CERLKJA","name":"roadrunner","tz":"Europe/Stockholm","profile":{"display_name":"Road Runner"}}}"""
                : """{"ok":true,"channel":"C1","ts":"1.1"}""";
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") });
        }
    }
}
