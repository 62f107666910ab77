namespace KpiBot.Channels.Teams.Auth;

/// <summary>What a successfully validated inbound token tells KpiBot.</summary>
/// <param name="Issuer">Which issuer family signed it.</param>
/// <param name="ServiceUrl">The <c>serviceurl</c> claim (channel tokens), or null.</param>
/// <param name="Endorsements">The signing key's endorsements (channel ids), possibly empty.</param>
/// <param name="Unauthenticated">True only for Development-mode Emulator traffic when no app id is configured.</param>
public sealed record VerifiedToken(IssuerKind Issuer, string? ServiceUrl, IReadOnlyList<string> Endorsements, bool Unauthenticated = false)
{
    /// <summary>The stand-in for local, unauthenticated Emulator traffic (Development without an app id).</summary>
    public static VerifiedToken LocalDevelopment { get; } = new(IssuerKind.Unknown, null, [], Unauthenticated: true);
}

/// <summary>The outcome of validating the <c>Authorization</c> header.</summary>
/// <param name="Token">The verified token, or null when refused.</param>
/// <param name="Failure">Why it was refused (for the log only; callers answer a bare 401).</param>
public sealed record TokenValidation(VerifiedToken? Token, string? Failure)
{
    /// <summary>A refusal with a reason.</summary>
    public static TokenValidation Refused(string reason) => new(null, reason);
}
