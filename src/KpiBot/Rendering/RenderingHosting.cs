using KpiBot.Rendering.AdaptiveCards;
using KpiBot.Rendering.BlockKit;

namespace KpiBot.Rendering;

/// <summary>Registers the Rendering area's services.</summary>
public static class RenderingHosting
{
    /// <summary>Adds the four reply renderers (Adaptive Cards, Block Kit, HTML, text) as singletons; they are stateless.</summary>
    public static WebApplicationBuilder AddRendering(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IAdaptiveCardRenderer, AdaptiveCardRenderer>();
        builder.Services.AddSingleton<IBlockKitRenderer, BlockKitRenderer>();
        builder.Services.AddSingleton<IHtmlRenderer, HtmlRenderer>();
        builder.Services.AddSingleton<ITextRenderer, TextRenderer>();
        return builder;
    }
}
