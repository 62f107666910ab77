using Microsoft.Extensions.Options;

namespace KpiBot.Channels.Slack;

/// <summary>The verified raw body of a Slack request, put on the request by <see cref="SlackRequestVerification"/>.</summary>
/// <param name="Body">The bytes exactly as received (what the signature covered).</param>
/// <param name="RetryNumber">Slack's <c>X-Slack-Retry-Num</c> (1–3) when this delivery is a retry, else 0.</param>
public sealed record VerifiedSlackRequest(byte[] Body, int RetryNumber);

/// <summary>
/// The first step of every Slack endpoint, before anything is parsed: reads the raw body once, checks
/// the <c>v0</c> signature and the five-minute window with the injected clock, and refuses with 401.
/// Handlers only ever see a <see cref="VerifiedSlackRequest"/>. Slack signs the exact bytes it sent, so
/// the check must run on them, never on a re-encoded form or JSON.
/// </summary>
public sealed class SlackRequestVerification(SlackRequestVerifier verifier, ILogger<SlackRequestVerification> logger) : IEndpointFilter
{
    /// <summary>Slack payloads are small (a few KB); anything far larger is not from Slack.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <inheritdoc />
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!verifier.Enabled)
        {
            return Results.Problem(
                title: "The Slack HTTP channel is off",
                detail: "Slack:SigningSecret is not set, so KpiBot cannot tell Slack's requests from forged ones. Set it (Basic Information → App Credentials → Signing Secret) or use Socket Mode.",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        if (http.Request.ContentLength is > MaxBodyBytes)
        {
            return Results.Problem(title: "Request too large", detail: $"Slack requests are at most {MaxBodyBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }
        var body = await ReadBodyAsync(http.Request, http.RequestAborted);
        if (body is null)
        {
            return Results.Problem(title: "Request too large", detail: $"Slack requests are at most {MaxBodyBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        var check = verifier.Verify(
            http.Request.Headers["X-Slack-Request-Timestamp"].ToString(),
            http.Request.Headers["X-Slack-Signature"].ToString(),
            body);
        if (check != SignatureCheck.Valid)
        {
            logger.LogWarning("Refused a Slack request to {Path}: {Reason}", http.Request.Path, check);
            return Results.Problem(title: "Unauthorized", detail: Describe(check), statusCode: StatusCodes.Status401Unauthorized);
        }

        _ = int.TryParse(http.Request.Headers["X-Slack-Retry-Num"].ToString(), out var retry);
        http.Features.Set(new VerifiedSlackRequest(body, retry));
        return await next(context);
    }

    /// <summary>The verified body of the current request; only valid behind this filter.</summary>
    public static VerifiedSlackRequest Get(HttpContext http) =>
        http.Features.Get<VerifiedSlackRequest>() ?? throw new InvalidOperationException("The Slack endpoint ran without SlackRequestVerification.");

    private static string Describe(SignatureCheck check) => check switch
    {
        SignatureCheck.MissingSignature => "The X-Slack-Signature header is missing.",
        SignatureCheck.MissingOrBadTimestamp => "The X-Slack-Request-Timestamp header is missing or not Unix seconds.",
        SignatureCheck.StaleTimestamp => "The X-Slack-Request-Timestamp is more than five minutes from now.",
        _ => "The X-Slack-Signature does not match the request body.",
    };

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}

/// <summary>
/// The configured signature check: the signing secret from <see cref="SlackOptions"/> and "now" from the
/// injected clock. A service of its own so the clock can be swapped in tests without touching the rest.
/// </summary>
public sealed class SlackRequestVerifier(IOptions<SlackOptions> options, TimeProvider clock)
{
    /// <summary>False when no signing secret is configured: the HTTP channel is off.</summary>
    public bool Enabled => options.Value.HttpEnabled;

    /// <summary>Checks one request's headers against its raw body.</summary>
    public SignatureCheck Verify(string? timestampHeader, string? signatureHeader, ReadOnlySpan<byte> rawBody) =>
        SlackSignatureVerifier.Verify(options.Value.SigningSecret, timestampHeader, signatureHeader, rawBody, clock.GetUtcNow());
}
