namespace KpiBot.Storage;

/// <summary>Registers the Storage area's services.</summary>
public static class StorageHosting
{
    /// <summary>Adds the Storage services.</summary>
    public static WebApplicationBuilder AddKpiStorage(this WebApplicationBuilder builder) => builder;

}
