using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace KpiBot.ScenarioTests.Teams;

/// <summary>A throwaway RSA key standing in for one of the Bot Framework's signing keys.</summary>
internal sealed class TestSigningKey : IDisposable
{
    public TestSigningKey(string kid, params string[] endorsements)
    {
        Kid = kid;
        Endorsements = endorsements;
        Rsa = RSA.Create(2048);
    }

    public string Kid { get; }

    public IReadOnlyList<string> Endorsements { get; }

    public RSA Rsa { get; }

    public SigningCredentials Credentials => new(new RsaSecurityKey(Rsa) { KeyId = Kid }, SecurityAlgorithms.RsaSha256);

    /// <summary>The key as the Bot Framework publishes it: a JWK with an <c>endorsements</c> array.</summary>
    public JsonObject ToJwk()
    {
        var parameters = Rsa.ExportParameters(includePrivateParameters: false);
        var jwk = new JsonObject
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["kid"] = Kid,
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
            ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
        };
        if (Endorsements.Count > 0)
        {
            jwk["endorsements"] = new JsonArray([.. Endorsements.Select(e => (JsonNode)e)]);
        }

        return jwk;
    }

    public void Dispose() => Rsa.Dispose();
}
