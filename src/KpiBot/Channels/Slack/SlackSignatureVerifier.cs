using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace KpiBot.Channels.Slack;

/// <summary>Why a request did or did not pass Slack's signature check.</summary>
public enum SignatureCheck
{
    /// <summary>Signed with the signing secret inside the time window.</summary>
    Valid,
    /// <summary>No <c>X-Slack-Signature</c> header.</summary>
    MissingSignature,
    /// <summary>No <c>X-Slack-Request-Timestamp</c> header, or it is not whole Unix seconds.</summary>
    MissingOrBadTimestamp,
    /// <summary>The timestamp is more than five minutes away from now (a replay, or a clock far off).</summary>
    StaleTimestamp,
    /// <summary>The signature does not match the body (forged, tampered, or signed with another secret).</summary>
    BadSignature,
}

/// <summary>
/// Slack's <c>v0</c> request signature: HMAC-SHA256 keyed with the signing secret over
/// <c>v0:{timestamp}:{raw body}</c>, hex, prefixed <c>v0=</c>
/// (https://api.slack.com/authentication/verifying-requests-from-slack). Pure: the caller passes "now",
/// so the five-minute replay window is testable without a wall clock.
/// </summary>
public static class SlackSignatureVerifier
{
    /// <summary>How far a request's timestamp may be from now, either way (Slack's own SDKs use five minutes).</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private const string Version = "v0";

    /// <summary>Checks one request.</summary>
    /// <param name="signingSecret">The app's signing secret.</param>
    /// <param name="timestampHeader">The <c>X-Slack-Request-Timestamp</c> value (Unix seconds).</param>
    /// <param name="signatureHeader">The <c>X-Slack-Signature</c> value (<c>v0=</c> + 64 hex digits).</param>
    /// <param name="rawBody">The body bytes exactly as received, before any form or JSON decoding.</param>
    /// <param name="now">The current time from the injected clock.</param>
    public static SignatureCheck Verify(string signingSecret, string? timestampHeader, string? signatureHeader, ReadOnlySpan<byte> rawBody, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(signingSecret);
        if (string.IsNullOrWhiteSpace(signatureHeader))
        {
            return SignatureCheck.MissingSignature;
        }
        if (string.IsNullOrWhiteSpace(timestampHeader)
            || !long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return SignatureCheck.MissingOrBadTimestamp;
        }
        DateTimeOffset sent;
        try
        {
            sent = DateTimeOffset.FromUnixTimeSeconds(seconds);
        }
        catch (ArgumentOutOfRangeException)
        {
            return SignatureCheck.MissingOrBadTimestamp;
        }
        if ((now - sent).Duration() > Window)
        {
            return SignatureCheck.StaleTimestamp;
        }

        var expected = ComputeSignatureBytes(signingSecret, timestampHeader, rawBody);
        if (!TryDecodeSignature(signatureHeader, out var given))
        {
            return SignatureCheck.BadSignature;
        }
        // Constant-time: the time taken must not tell an attacker how many leading bytes were right.
        return CryptographicOperations.FixedTimeEquals(expected, given) ? SignatureCheck.Valid : SignatureCheck.BadSignature;
    }

    /// <summary>The <c>X-Slack-Signature</c> value Slack would send for this body (tests and the load driver sign with it).</summary>
    public static string Sign(string signingSecret, string timestamp, ReadOnlySpan<byte> rawBody) =>
        Version + "=" + Convert.ToHexStringLower(ComputeSignatureBytes(signingSecret, timestamp, rawBody));

    private static byte[] ComputeSignatureBytes(string signingSecret, string timestamp, ReadOnlySpan<byte> rawBody)
    {
        var prefix = Encoding.UTF8.GetBytes($"{Version}:{timestamp}:");
        var message = new byte[prefix.Length + rawBody.Length];
        prefix.CopyTo(message, 0);
        rawBody.CopyTo(message.AsSpan(prefix.Length));
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingSecret), message);
    }

    private static bool TryDecodeSignature(string header, out byte[] bytes)
    {
        bytes = [];
        const string prefix = Version + "=";
        if (!header.StartsWith(prefix, StringComparison.Ordinal) || header.Length != prefix.Length + 64)
        {
            return false;
        }
        try
        {
            bytes = Convert.FromHexString(header.AsSpan(prefix.Length));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
