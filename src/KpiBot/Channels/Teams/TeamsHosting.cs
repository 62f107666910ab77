using System.Net;
using KpiBot.Channels.Inbox;
using KpiBot.Channels.Teams.Adapter;
using KpiBot.Channels.Teams.Auth;
using KpiBot.Channels.Teams.Connector;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace KpiBot.Channels.Teams;

/// <summary>Registers the Microsoft Teams channel: <c>POST /api/messages</c>, the Connector client and the proactive sender.</summary>
public static class TeamsHosting
{
    /// <summary>The Bot Framework messaging endpoint path (the one configured in the Azure Bot / Developer Portal).</summary>
    public const string MessagesPath = "/api/messages";

    /// <summary>Adds the Teams channel services.</summary>
    public static WebApplicationBuilder AddTeamsChannel(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<TeamsOptions>()
            .BindConfiguration(TeamsOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddHttpClient(BotFrameworkTokenValidator.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddHttpClient(BotTokenProvider.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddHttpClient(ConnectorClient.HttpClientName)
            .AddResilienceHandler("teams-connector", pipeline =>
            {
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    // The Teams rate-limit guidance: back off exponentially with jitter on 429, and retry
                    // 412/502/504 (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit).
                    // Retry-After, when the Connector sends it, replaces the computed delay.
                    ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
                    ShouldRetryAfterHeader = true,
                    MaxRetryAttempts = 3,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = TimeSpan.FromSeconds(1),
                    MaxDelay = TimeSpan.FromSeconds(30),
                });
                pipeline.AddTimeout(TimeSpan.FromSeconds(20));
            });

        services.TryAddSingleton<BotFrameworkTokenValidator>();
        services.TryAddSingleton<IBotTokenProvider, BotTokenProvider>();
        services.TryAddSingleton<ConnectorClient>();
        services.TryAddSingleton<TeamsMessenger>();
        services.TryAddSingleton<TeamsReplyBuilder>();
        services.TryAddSingleton<TeamsActivityHandler>();
        services.TryAddSingleton<TeamsEndpoint>();
        services.TryAddSingleton<TeamsWorkQueue>();
        services.AddInboxHandler<TeamsMessageWork>(TeamsMessageWork.Kind);
        services.AddHostedService(sp => sp.GetRequiredService<TeamsWorkQueue>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProactiveSender, TeamsProactiveSender>());
        return builder;
    }

    /// <summary>Maps <c>POST /api/messages</c> and reports at start-up whether the channel is on.</summary>
    public static WebApplication MapTeamsChannel(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<TeamsOptions>>().Value;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("KpiBot.Channels.Teams");
        if (options.IsConfigured)
        {
            logger.LogInformation("Teams channel is ON for app {AppId} ({Tenancy}); messaging endpoint {Path}",
                options.AppId, string.IsNullOrWhiteSpace(options.AppTenantId) ? "multi-tenant" : $"single-tenant {options.AppTenantId}", MessagesPath);
        }
        else if (app.Environment.IsDevelopment())
        {
            logger.LogWarning("Teams channel has no Teams:AppId: accepting UNAUTHENTICATED local Bot Framework Emulator traffic at {Path} (Development only)", MessagesPath);
        }
        else
        {
            logger.LogWarning("Teams channel is OFF: Teams:AppId is not configured; {Path} answers 503", MessagesPath);
        }

        app.MapPost(MessagesPath, (HttpContext context, TeamsEndpoint endpoint) => endpoint.HandleAsync(context))
            .WithName("TeamsMessages")
            .DisableAntiforgery();
        return app;
    }

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException } => true,
        { Exception: TimeoutException } => true,
        { Result.StatusCode: HttpStatusCode.TooManyRequests or HttpStatusCode.PreconditionFailed or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout } => true,
        _ => false,
    };
}
