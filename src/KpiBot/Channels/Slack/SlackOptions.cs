using System.ComponentModel.DataAnnotations;

namespace KpiBot.Channels.Slack;

/// <summary>
/// The <c>Slack</c> configuration section. Each credential switches one part of the channel on:
/// <see cref="SigningSecret"/> the HTTP endpoints, <see cref="BotToken"/> every Web API call,
/// <see cref="AppToken"/> Socket Mode. A missing credential leaves its part off (and says so at start-up).
/// </summary>
public sealed class SlackOptions : IValidatableObject
{
    /// <summary>The section name in appsettings.json.</summary>
    public const string Section = "Slack";

    /// <summary>
    /// The app's signing secret (Basic Information → App Credentials). Every HTTP request from Slack is
    /// verified with it; without it <c>/api/slack/*</c> answers 503 and nothing is parsed.
    /// </summary>
    public string SigningSecret { get; set; } = "";

    /// <summary>The bot user OAuth token (<c>xoxb-…</c>) used as the Bearer token of every Web API call.</summary>
    public string BotToken { get; set; } = "";

    /// <summary>An app-level token (<c>xapp-…</c>, scope <c>connections:write</c>); when set, KpiBot also connects over Socket Mode.</summary>
    public string AppToken { get; set; } = "";

    /// <summary>Base address of the Web API (<c>https://slack.com/api/</c>); tests point it at a local fake.</summary>
    [Required]
    public string ApiBaseUrl { get; set; } = "https://slack.com/api/";

    /// <summary>True when the HTTP endpoints can verify requests.</summary>
    public bool HttpEnabled => !string.IsNullOrWhiteSpace(SigningSecret);

    /// <summary>True when Socket Mode should connect.</summary>
    public bool SocketModeEnabled => !string.IsNullOrWhiteSpace(AppToken);

    /// <summary>True when the Web API can be called.</summary>
    public bool WebApiEnabled => !string.IsNullOrWhiteSpace(BotToken);

    /// <summary>
    /// The base address with a trailing slash so relative method names resolve under it. A method, not a
    /// property, so start-up validation (which reads properties) reports a bad URL instead of throwing.
    /// </summary>
    public Uri GetApiBaseUri() => new(ApiBaseUrl.EndsWith('/') ? ApiBaseUrl : ApiBaseUrl + "/", UriKind.Absolute);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(ApiBaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            yield return new ValidationResult(
                $"Slack:ApiBaseUrl must be an absolute http(s) URL such as https://slack.com/api/ (got '{ApiBaseUrl}').",
                [nameof(ApiBaseUrl)]);
        }
        if (!string.IsNullOrWhiteSpace(AppToken) && !AppToken.StartsWith("xapp-", StringComparison.Ordinal))
        {
            yield return new ValidationResult(
                "Slack:AppToken must be an app-level token starting with 'xapp-' (Basic Information → App-Level Tokens, scope connections:write); leave it empty to run without Socket Mode.",
                [nameof(AppToken)]);
        }
        if (!string.IsNullOrWhiteSpace(BotToken) && BotToken.StartsWith("xapp-", StringComparison.Ordinal))
        {
            yield return new ValidationResult(
                "Slack:BotToken holds an app-level token (xapp-…); it must be the bot user OAuth token (xoxb-…) from OAuth & Permissions. Put the xapp- token in Slack:AppToken.",
                [nameof(BotToken)]);
        }
    }
}
