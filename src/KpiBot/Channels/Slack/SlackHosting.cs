using KpiBot.Channels.Inbox;
using KpiBot.Channels.Slack;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace KpiBot.Channels.Slack;

/// <summary>Registers the Slack channel: HTTP endpoints, Socket Mode, the Web API client and the proactive sender.</summary>
public static class SlackHosting
{
    /// <summary>Adds the Slack services.</summary>
    public static WebApplicationBuilder AddSlackChannel(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SlackOptions>().BindConfiguration(SlackOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddMemoryCache();

        services.AddHttpClient(SlackWebApi.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(30))
            .AddStandardResilienceHandler(resilience =>
            {
                // Transient failures (5xx, 408, connection errors) retry with jittered exponential backoff.
                // 429 is left to SlackWebApi: it knows whether someone is waiting or a scheduler should plan.
                resilience.Retry.MaxRetryAttempts = 3;
                resilience.Retry.Delay = TimeSpan.FromMilliseconds(300);
                resilience.Retry.ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Result?.StatusCode != System.Net.HttpStatusCode.TooManyRequests
                    && HttpClientResiliencePredicates.IsTransient(args.Outcome));
                resilience.AttemptTimeout.Timeout = TimeSpan.FromSeconds(10);
                resilience.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(45);
                resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(30);
            });

        services.AddSingleton<SlackWebApi>();
        services.AddSingleton<SlackWorkQueue>();
        services.AddSingleton<ResponseUrlBudget>();
        services.AddSingleton<SlackIdentityResolver>();
        services.AddSingleton<SlackRequestVerifier>();
        services.AddScoped<SlackConversationRecorder>();
        services.AddScoped<SlackReplySender>();
        services.AddScoped<SlackLoggingModal>();
        services.AddScoped<SlackInbound>();
        services.AddInboxHandler<SlackBotWorkHandler>(SlackBotWorkHandler.Kind);
        services.AddSingleton<SlackProactiveSender>();
        services.AddSingleton<Channels.IProactiveSender>(sp => sp.GetRequiredService<SlackProactiveSender>());
        services.AddHostedService<SlackWorkProcessor>();
        services.AddSingleton<SlackSocketModeService>();
        services.AddHostedService(sp => sp.GetRequiredService<SlackSocketModeService>());
        services.AddHostedService<SlackStartupReport>();
        return builder;
    }

    /// <summary>Maps <c>/api/slack/commands</c>, <c>/api/slack/events</c> and <c>/api/slack/interactions</c>.</summary>
    public static WebApplication MapSlackChannel(this WebApplication app)
    {
        app.MapSlackEndpoints();
        return app;
    }
}

/// <summary>Says at start-up which parts of the Slack channel are on, and what to set for the rest.</summary>
internal sealed class SlackStartupReport(IOptions<SlackOptions> options, ILogger<SlackStartupReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var slack = options.Value;
        if (slack.HttpEnabled)
        {
            logger.LogInformation("Slack HTTP channel on: /api/slack/commands, /api/slack/events, /api/slack/interactions verify every request with Slack:SigningSecret");
        }
        else
        {
            logger.LogWarning("Slack HTTP channel OFF: Slack:SigningSecret is not set, /api/slack/* answer 503 (unsigned requests are never accepted, also not in Development)");
        }
        logger.Log(slack.SocketModeEnabled ? LogLevel.Information : LogLevel.Debug,
            slack.SocketModeEnabled ? "Slack Socket Mode on (Slack:AppToken set)" : "Slack Socket Mode off (Slack:AppToken not set)");
        if ((slack.HttpEnabled || slack.SocketModeEnabled) && !slack.WebApiEnabled)
        {
            logger.LogWarning("Slack:BotToken is not set: KpiBot can answer /kpi through response_url but cannot open forms, post cards in channels or reply to messages");
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
