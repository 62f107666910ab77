using System.Text;
using KpiBot.Channels.Slack;

namespace KpiBot.ScenarioTests.Slack;

/// <summary>The v0 signature check, starting from Slack's own example (protocols.md §2.1).</summary>
public sealed class SlackSignatureVerifierTests
{
    private const string Secret = "8f742231b10e8888abcd99yyyzzz85a5";
    private const string Timestamp = "1531420618";
    private const string GoldenSignature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
    private static readonly DateTimeOffset SentAt = DateTimeOffset.FromUnixTimeSeconds(1531420618);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes(SlackPayloads.Fixture("slash_command_body.signature_test_vector.txt"));

    [Fact]
    public void Slacks_example_request_verifies_and_signs_to_the_documented_value()
    {
        Assert.Equal(SignatureCheck.Valid, SlackSignatureVerifier.Verify(Secret, Timestamp, GoldenSignature, Body, SentAt));
        Assert.Equal(GoldenSignature, SlackSignatureVerifier.Sign(Secret, Timestamp, Body));
    }

    [Theory]
    [InlineData(-300, SignatureCheck.Valid)]
    [InlineData(300, SignatureCheck.Valid)]
    [InlineData(-301, SignatureCheck.StaleTimestamp)]
    [InlineData(301, SignatureCheck.StaleTimestamp)]
    [InlineData(86_400, SignatureCheck.StaleTimestamp)]
    public void The_window_is_five_minutes_either_way(int secondsFromSend, SignatureCheck expected) =>
        Assert.Equal(expected, SlackSignatureVerifier.Verify(Secret, Timestamp, GoldenSignature, Body, SentAt.AddSeconds(secondsFromSend)));

    [Theory]
    [InlineData(null, SignatureCheck.MissingSignature)]
    [InlineData("", SignatureCheck.MissingSignature)]
    [InlineData("v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b504", SignatureCheck.BadSignature)]
    [InlineData("v1=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503", SignatureCheck.BadSignature)]
    [InlineData("a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503", SignatureCheck.BadSignature)]
    [InlineData("v0=a2114d57", SignatureCheck.BadSignature)]
    [InlineData("v0=zz114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503", SignatureCheck.BadSignature)]
    public void A_missing_or_wrong_signature_is_refused(string? signature, SignatureCheck expected) =>
        Assert.Equal(expected, SlackSignatureVerifier.Verify(Secret, Timestamp, signature, Body, SentAt));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("-1531420618")]
    [InlineData("1531420618.5")]
    public void A_missing_or_unreadable_timestamp_is_refused(string? timestamp) =>
        Assert.Equal(SignatureCheck.MissingOrBadTimestamp, SlackSignatureVerifier.Verify(Secret, timestamp, GoldenSignature, Body, SentAt));

    [Fact]
    public void A_body_changed_by_one_byte_or_another_timestamp_or_secret_fails()
    {
        var tampered = (byte[])Body.Clone();
        tampered[^1] ^= 1;
        Assert.Equal(SignatureCheck.BadSignature, SlackSignatureVerifier.Verify(Secret, Timestamp, GoldenSignature, tampered, SentAt));
        Assert.Equal(SignatureCheck.BadSignature, SlackSignatureVerifier.Verify(Secret, "1531420619", GoldenSignature, Body, SentAt));
        Assert.Equal(SignatureCheck.BadSignature, SlackSignatureVerifier.Verify(Secret + "x", Timestamp, GoldenSignature, Body, SentAt));
    }
}
