namespace KpiBot.Rendering;

/// <summary>Registers the Rendering area's services.</summary>
public static class RenderingHosting
{
    /// <summary>Adds the Rendering services.</summary>
    public static WebApplicationBuilder AddRendering(this WebApplicationBuilder builder) => builder;

}
