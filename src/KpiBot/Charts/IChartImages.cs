using KpiBot.Replies;

namespace KpiBot.Charts;

/// <summary>
/// Hands out image addresses for charts. Registering is cheap: the PNG is drawn lazily on the first
/// <c>GET /charts/{id}.png</c> and then served from cache, so a card can be built without waiting for a render.
/// </summary>
public interface IChartImages
{
    /// <summary>The absolute URL (from <c>Bot:PublicBaseUrl</c>) of the chart's PNG; registers the chart.</summary>
    string UrlFor(Chart chart);

    /// <summary>The same image as a host-relative path (<c>/charts/{id}.png</c>), for pages served by the bot itself.</summary>
    string PathFor(Chart chart);
}
