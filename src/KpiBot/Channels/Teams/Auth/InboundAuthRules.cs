namespace KpiBot.Channels.Teams.Auth;

/// <summary>
/// The checks that need both the validated token and the parsed activity, as pure functions.
/// They run after the signature, lifetime, issuer and audience checks have passed.
/// </summary>
public static class InboundAuthRules
{
    /// <summary>
    /// A signing key's <c>endorsements</c> list the channels it may speak for. An empty list endorses
    /// nothing in particular (Entra keys carry none); a non-empty list must name the activity's channel
    /// (Bot Framework SDK <c>EndorsementsValidator</c>): a key endorsed for another channel cannot sign
    /// Teams traffic.
    /// </summary>
    public static bool EndorsementsAllow(IReadOnlyCollection<string> endorsements, string? channelId)
    {
        if (endorsements.Count == 0)
        {
            return true;
        }

        return !string.IsNullOrEmpty(channelId) && endorsements.Contains(channelId, StringComparer.Ordinal);
    }

    /// <summary>
    /// The token's <c>serviceurl</c> claim must equal the activity's <c>serviceUrl</c> exactly: replies carry
    /// the bot's credentials to that URL, so an activity must not be able to redirect them elsewhere.
    /// Tokens without the claim (Emulator) only pass when <paramref name="claimRequired"/> is false.
    /// </summary>
    public static bool ServiceUrlMatches(string? serviceUrlClaim, string? activityServiceUrl, bool claimRequired)
    {
        if (string.IsNullOrEmpty(activityServiceUrl))
        {
            return false;
        }

        if (string.IsNullOrEmpty(serviceUrlClaim))
        {
            return !claimRequired;
        }

        return string.Equals(serviceUrlClaim, activityServiceUrl, StringComparison.Ordinal);
    }

    /// <summary>
    /// Checks an authenticated token against the activity it came with. Returns null when the activity
    /// may be handled, otherwise the reason it is refused (for the log; the caller answers 401).
    /// </summary>
    public static string? CheckActivity(VerifiedToken token, string? channelId, string? activityServiceUrl)
    {
        if (!EndorsementsAllow(token.Endorsements, channelId))
        {
            return $"the signing key is not endorsed for channel '{channelId}' (endorsed: {string.Join(", ", token.Endorsements)})";
        }

        // Channel tokens always carry serviceurl; Entra tokens (Emulator) do not, and the Emulator's
        // service URL is the developer's own loopback endpoint.
        var claimRequired = token.Issuer == IssuerKind.BotFramework;
        if (!ServiceUrlMatches(token.ServiceUrl, activityServiceUrl, claimRequired))
        {
            return $"the activity's serviceUrl '{activityServiceUrl}' does not match the token's serviceurl claim '{token.ServiceUrl}'";
        }

        return null;
    }
}
