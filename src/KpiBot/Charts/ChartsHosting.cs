using System.Globalization;
using KpiBot.Hosting;
using KpiBot.Storage;
using Microsoft.Extensions.Options;

namespace KpiBot.Charts;

/// <summary>Registers the Charts area's services and endpoints.</summary>
public static class ChartsHosting
{
    /// <summary>Adds the chart image store (<see cref="IChartImages"/>) and its options.</summary>
    public static WebApplicationBuilder AddCharts(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<ChartOptions>().BindConfiguration(ChartOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<BotOptions>().BindConfiguration(BotOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ChartKeyProvider>();
        builder.Services.AddSingleton<ChartImageStore>();
        builder.Services.AddSingleton<IChartImages>(sp => sp.GetRequiredService<ChartImageStore>());
        return builder;
    }

    /// <summary>Maps <c>GET /charts/{id}.png</c>: the PNG of a registered chart, or 404 for an unknown id.</summary>
    public static WebApplication MapCharts(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/charts/{id}.png", (string id, ChartImageStore store, IOptions<ChartOptions> options, HttpContext http) =>
        {
            var png = store.GetPng(id);
            if (png is null)
            {
                return Results.NotFound();
            }

            // The id covers the data, so the bytes under it never change: let every cache keep them.
            http.Response.Headers.CacheControl = "public, max-age=" + options.Value.MaxAgeSeconds.ToString(CultureInfo.InvariantCulture) + ", immutable";
            http.Response.Headers.XContentTypeOptions = "nosniff";
            return Results.Bytes(png, "image/png", entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue("\"" + id + "\""));
        }).WithName("ChartImage").ExcludeFromDescription();
        return app;
    }
}
