using System.ComponentModel.DataAnnotations;

namespace KpiBot.Channels.Teams;

/// <summary>
/// The <c>Teams</c> configuration section: the bot's Microsoft App registration and the endpoints
/// KpiBot talks to. Every address is a setting so tests (and sovereign clouds) can point it elsewhere.
/// </summary>
public sealed class TeamsOptions : IValidatableObject
{
    /// <summary>The section name in appsettings.json.</summary>
    public const string Section = "Teams";

    /// <summary>The Bot Framework's OpenID metadata document (channel tokens are signed with its keys).</summary>
    public const string DefaultOpenIdMetadataUrl = "https://login.botframework.com/v1/.well-known/openidconfiguration";

    /// <summary>Entra ID's metadata: tokens of the Bot Framework Emulator and single-tenant bots are signed with these keys.</summary>
    public const string DefaultEntraOpenIdMetadataUrl = "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration";

    /// <summary>
    /// The bot's Microsoft App ID (a GUID). Empty means the Teams channel is off
    /// (outside Development, where local Emulator traffic is accepted without a token).
    /// </summary>
    public string AppId { get; set; } = "";

    /// <summary>The client secret of the app registration, used for the client-credentials token.</summary>
    public string AppPassword { get; set; } = "";

    /// <summary>The tenant of a single-tenant bot; empty for a multi-tenant bot (token tenant <c>botframework.com</c>).</summary>
    public string AppTenantId { get; set; } = "";

    /// <summary>Where the inbound signing keys are published.</summary>
    public string OpenIdMetadataUrl { get; set; } = DefaultOpenIdMetadataUrl;

    /// <summary>Metadata for Entra-issued tokens (Emulator, single-tenant). Not part of the shared contract; rarely changed.</summary>
    public string EntraOpenIdMetadataUrl { get; set; } = DefaultEntraOpenIdMetadataUrl;

    /// <summary>
    /// The OAuth 2.0 token endpoint for outbound calls. Empty means
    /// <c>https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token</c> with tenant
    /// <see cref="AppTenantId"/> or <c>botframework.com</c>.
    /// </summary>
    public string TokenEndpoint { get; set; } = "";

    /// <summary>Largest accepted request body in bytes. Real activities are a few KB; 256 KB leaves room for big card submissions.</summary>
    [Range(1024, 4 * 1024 * 1024)]
    public int MaxRequestBodyBytes { get; set; } = 256 * 1024;

    /// <summary>True when an app id is configured, i.e. the channel authenticates and can reply.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(AppId);

    /// <summary>The tenant used to obtain outbound tokens.</summary>
    public string TokenTenant => string.IsNullOrWhiteSpace(AppTenantId) ? "botframework.com" : AppTenantId.Trim();

    /// <summary>The token endpoint actually used (the configured one or the Entra default for <see cref="TokenTenant"/>).</summary>
    public Uri ResolvedTokenEndpoint => new(string.IsNullOrWhiteSpace(TokenEndpoint)
        ? $"https://login.microsoftonline.com/{TokenTenant}/oauth2/v2.0/token"
        : TokenEndpoint.Trim());

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsConfigured)
        {
            yield break;
        }

        if (!Guid.TryParse(AppId, out _))
        {
            yield return new ValidationResult(
                $"Teams:AppId '{AppId}' is not a GUID. Use the Microsoft App ID of the Azure Bot / Developer Portal registration, e.g. 00000000-0000-0000-0000-000000000000.",
                [nameof(AppId)]);
        }

        if (string.IsNullOrWhiteSpace(AppPassword))
        {
            yield return new ValidationResult(
                "Teams:AppPassword is empty while Teams:AppId is set. Create a client secret for the app registration and set Teams:AppPassword (or clear Teams:AppId to turn the Teams channel off).",
                [nameof(AppPassword)]);
        }

        if (!string.IsNullOrWhiteSpace(AppTenantId) && !Guid.TryParse(AppTenantId, out _))
        {
            yield return new ValidationResult(
                $"Teams:AppTenantId '{AppTenantId}' is not a GUID. Leave it empty for a multi-tenant bot or set the directory (tenant) id of a single-tenant bot.",
                [nameof(AppTenantId)]);
        }

        foreach (var (name, value) in new[] { (nameof(OpenIdMetadataUrl), OpenIdMetadataUrl), (nameof(EntraOpenIdMetadataUrl), EntraOpenIdMetadataUrl) })
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
            {
                yield return new ValidationResult(
                    $"Teams:{name} '{value}' must be an absolute https URL (the default is right for the public cloud).",
                    [name]);
            }
        }

        if (!string.IsNullOrWhiteSpace(TokenEndpoint)
            && (!Uri.TryCreate(TokenEndpoint, UriKind.Absolute, out var token) || token.Scheme != Uri.UriSchemeHttps))
        {
            yield return new ValidationResult(
                $"Teams:TokenEndpoint '{TokenEndpoint}' must be an absolute https URL, or empty for https://login.microsoftonline.com/{{tenant}}/oauth2/v2.0/token.",
                [nameof(TokenEndpoint)]);
        }
    }
}
