namespace KpiBot.Charts;

/// <summary>Registers the Charts area's services and endpoints.</summary>
public static class ChartsHosting
{
    /// <summary>Adds the Charts services.</summary>
    public static WebApplicationBuilder AddCharts(this WebApplicationBuilder builder) => builder;

    /// <summary>Maps the Charts endpoints.</summary>
    public static WebApplication MapCharts(this WebApplication app) => app;
}
