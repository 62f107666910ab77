namespace KpiBot.Channels.Teams.Auth;

/// <summary>Which key set signs a token, decided by its issuer.</summary>
public enum IssuerKind
{
    /// <summary>Not an issuer KpiBot accepts.</summary>
    Unknown,
    /// <summary>The Bot Framework channel service (<c>https://api.botframework.com</c>): real Teams traffic.</summary>
    BotFramework,
    /// <summary>Entra ID (v1 <c>sts.windows.net</c> or v2 <c>login.microsoftonline.com</c>): the Emulator and single-tenant bots.</summary>
    Entra,
}

/// <summary>
/// The issuer rules of Bot Framework inbound authentication as pure functions, so they can be tested
/// row by row. Source: "Authentication with the Bot Connector API"
/// (https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-authentication),
/// which lists the channel issuer and the Emulator's v1/v2 Entra issuers; single-tenant bots also
/// accept the issuers of their own tenant.
/// </summary>
public static class BotFrameworkIssuers
{
    /// <summary>The issuer of tokens the Bot Connector sends with every Teams activity.</summary>
    public const string BotFrameworkIssuer = "https://api.botframework.com";

    /// <summary>The Bot Framework's own Entra tenant, which issues Emulator tokens.</summary>
    public const string BotFrameworkTenantId = "d6d49420-f39b-4df7-a1dc-d59a935871db";

    /// <summary>The Microsoft services tenant, which issues Emulator tokens too (older Emulator builds).</summary>
    public const string MicrosoftServicesTenantId = "f8cdef31-a31e-4b4a-93e4-5f571e91255a";

    /// <summary>The Entra v1 issuer of a tenant.</summary>
    public static string EntraV1Issuer(string tenantId) => $"https://sts.windows.net/{tenantId}/";

    /// <summary>The Entra v2 issuer of a tenant.</summary>
    public static string EntraV2Issuer(string tenantId) => $"https://login.microsoftonline.com/{tenantId}/v2.0";

    /// <summary>
    /// Classifies <paramref name="issuer"/>. Comparison is exact (ordinal): issuers are URLs the
    /// identity platform writes byte for byte, and a near match is a forgery, not a typo.
    /// </summary>
    /// <param name="issuer">The token's <c>iss</c> claim.</param>
    /// <param name="tokenTenantId">The token's <c>tid</c> claim, if any.</param>
    /// <param name="botTenantId">The bot's own tenant (single-tenant bots), or null/empty for multi-tenant bots.</param>
    public static IssuerKind Classify(string? issuer, string? tokenTenantId, string? botTenantId)
    {
        if (string.IsNullOrEmpty(issuer))
        {
            return IssuerKind.Unknown;
        }

        if (string.Equals(issuer, BotFrameworkIssuer, StringComparison.Ordinal))
        {
            return IssuerKind.BotFramework;
        }

        foreach (var tenant in TrustedEntraTenants(tokenTenantId, botTenantId))
        {
            if (string.Equals(issuer, EntraV1Issuer(tenant), StringComparison.Ordinal)
                || string.Equals(issuer, EntraV2Issuer(tenant), StringComparison.Ordinal))
            {
                return IssuerKind.Entra;
            }
        }

        return IssuerKind.Unknown;
    }

    /// <summary>True when <see cref="Classify"/> accepts the issuer.</summary>
    public static bool IsTrusted(string? issuer, string? tokenTenantId, string? botTenantId) =>
        Classify(issuer, tokenTenantId, botTenantId) != IssuerKind.Unknown;

    /// <summary>
    /// The application that requested an Entra-issued token: <c>appid</c> in v1 tokens, <c>azp</c> in v2
    /// tokens. Bot Framework channel tokens carry the bot's id in <c>aud</c> only, so this is null there.
    /// </summary>
    public static string? CallerAppId(string? version, string? appIdClaim, string? authorizedPartyClaim) => version switch
    {
        "1.0" => appIdClaim,
        "2.0" => authorizedPartyClaim,
        _ => null,
    };

    private static IEnumerable<string> TrustedEntraTenants(string? tokenTenantId, string? botTenantId)
    {
        yield return BotFrameworkTenantId;
        yield return MicrosoftServicesTenantId;

        // A single-tenant bot accepts issuers built from the token's tid, but only when that tid is the
        // bot's own tenant: another tenant's token must never pass just because it names itself.
        if (!string.IsNullOrWhiteSpace(botTenantId)
            && !string.IsNullOrWhiteSpace(tokenTenantId)
            && string.Equals(tokenTenantId, botTenantId, StringComparison.OrdinalIgnoreCase))
        {
            yield return tokenTenantId;
        }
    }
}
