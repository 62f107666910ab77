using KpiBot.Channels.DevChat;
using KpiBot.Channels.Slack;
using KpiBot.Channels.Teams;
using KpiBot.Charts;
using KpiBot.Conversation;
using KpiBot.Rendering;
using KpiBot.Scheduling;
using KpiBot.Storage;

namespace KpiBot.Hosting;

/// <summary>The composition root: each area registers its own services and endpoints.</summary>
public static class KpiBotHosting
{
    /// <summary>Registers every KpiBot service on the builder.</summary>
    public static WebApplicationBuilder AddKpiBot(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddKpiStorage();
        builder.AddConversation();
        builder.AddRendering();
        builder.AddCharts();
        builder.AddDevChat();
        builder.AddTeamsChannel();
        builder.AddSlackChannel();
        builder.AddScheduling();
        return builder;
    }

    /// <summary>Maps every KpiBot endpoint.</summary>
    public static WebApplication MapKpiBot(this WebApplication app)
    {
        app.MapGet("/healthz", () => Results.Ok(new HealthStatus("ok")));
        app.MapCharts();
        app.MapDevChat();
        app.MapTeamsChannel();
        app.MapSlackChannel();
        return app;
    }
}

/// <summary>Body of <c>GET /healthz</c>.</summary>
public sealed record HealthStatus(string Status);
