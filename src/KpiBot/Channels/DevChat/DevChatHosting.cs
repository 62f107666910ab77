using KpiBot.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace KpiBot.Channels.DevChat;

/// <summary>
/// The local chat: the page at <c>/</c> (wwwroot) and <c>POST /api/dev/chat</c>. Both exist only in the
/// Development environment or when <c>Bot:DevChat</c> is true; otherwise they are not mapped at all (404),
/// because the endpoint trusts whatever user id it is sent.
/// </summary>
public static class DevChatHosting
{
    /// <summary>The chat API path.</summary>
    public const string ChatPath = "/api/dev/chat";

    /// <summary>Adds the <c>Bot</c> options the local chat depends on.</summary>
    public static WebApplicationBuilder AddDevChat(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<BotOptions>().BindConfiguration(BotOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return builder;
    }

    /// <summary>True when the local chat is switched on for this host.</summary>
    public static bool IsEnabled(IHostEnvironment environment, BotOptions options)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(options);
        return environment.IsDevelopment() || options.DevChat;
    }

    /// <summary>Maps the page and the API when enabled, and logs where to find the page.</summary>
    public static WebApplication MapDevChat(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.Services.GetRequiredService<IOptions<BotOptions>>().Value;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("KpiBot.DevChat");
        if (!IsEnabled(app.Environment, options))
        {
            logger.LogInformation("Local chat page is off (environment {Environment}, Bot:DevChat false)", app.Environment.EnvironmentName);
            return app;
        }

        // Serves wwwroot: index.html at "/", its script and stylesheet. No build step.
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.MapPost(ChatPath, DevChatEndpoint.HandleAsync).WithName("DevChat").DisableAntiforgery();
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses;
            var url = addresses?.FirstOrDefault() ?? options.PublicBaseUrl;
            logger.LogInformation("Local chat page: {Url}/ (chat API {Url}{ChatPath})", url.TrimEnd('/'), url.TrimEnd('/'), ChatPath);
        });
        return app;
    }
}
