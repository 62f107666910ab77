namespace KpiBot.Scheduling;

/// <summary>Registers the Scheduling area's services.</summary>
public static class SchedulingHosting
{
    /// <summary>Adds the Scheduling services.</summary>
    public static WebApplicationBuilder AddScheduling(this WebApplicationBuilder builder) => builder;

}
