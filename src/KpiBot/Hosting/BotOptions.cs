using System.ComponentModel.DataAnnotations;

namespace KpiBot.Hosting;

/// <summary>The <c>Bot</c> configuration section: settings shared by every channel.</summary>
public sealed class BotOptions
{
    /// <summary>The section name in appsettings.json.</summary>
    public const string Section = "Bot";

    /// <summary>
    /// The absolute address at which Teams, Slack and browsers reach this bot (for chart image URLs).
    /// Slack and Teams fetch images from the public internet, so in production this is the public HTTPS origin.
    /// </summary>
    [Required]
    [Url]
    public string PublicBaseUrl { get; set; } = "http://localhost:5260";

    /// <summary>Turns the local chat page and <c>POST /api/dev/chat</c> on outside the Development environment.</summary>
    public bool DevChat { get; set; }
}
