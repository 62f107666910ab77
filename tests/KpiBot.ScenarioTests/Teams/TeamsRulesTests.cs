using System.Text.Json;
using KpiBot.Channels.Teams.Adapter;
using KpiBot.Channels.Teams.Auth;
using KpiBot.Channels.Teams.Connector;

namespace KpiBot.ScenarioTests.Teams;

/// <summary>The pure rules of the Teams channel, row by row (no host, no HTTP).</summary>
public sealed class TeamsRulesTests
{
    private const string BotTenant = "11111111-2222-3333-4444-555555555555";

    [Theory]
    [InlineData("https://api.botframework.com", null, null, IssuerKind.BotFramework)]
    [InlineData("https://api.botframework.com/", null, null, IssuerKind.Unknown)] // trailing slash: not the issuer
    [InlineData("http://api.botframework.com", null, null, IssuerKind.Unknown)]
    [InlineData("https://API.botframework.com", null, null, IssuerKind.Unknown)]
    [InlineData("https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/", null, null, IssuerKind.Entra)] // Emulator v1
    [InlineData("https://login.microsoftonline.com/d6d49420-f39b-4df7-a1dc-d59a935871db/v2.0", null, null, IssuerKind.Entra)] // Emulator v2
    [InlineData("https://sts.windows.net/f8cdef31-a31e-4b4a-93e4-5f571e91255a/", null, null, IssuerKind.Entra)]
    [InlineData("https://login.microsoftonline.com/f8cdef31-a31e-4b4a-93e4-5f571e91255a/v2.0", null, null, IssuerKind.Entra)]
    [InlineData("https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db", null, null, IssuerKind.Unknown)] // v1 needs the slash
    [InlineData("https://sts.windows.net/" + BotTenant + "/", BotTenant, BotTenant, IssuerKind.Entra)] // single-tenant, own tenant
    [InlineData("https://login.microsoftonline.com/" + BotTenant + "/v2.0", BotTenant, BotTenant, IssuerKind.Entra)]
    [InlineData("https://sts.windows.net/" + BotTenant + "/", BotTenant, null, IssuerKind.Unknown)] // multi-tenant bot: tenant issuers not trusted
    [InlineData("https://sts.windows.net/" + BotTenant + "/", "99999999-2222-3333-4444-555555555555", BotTenant, IssuerKind.Unknown)] // tid is another tenant
    [InlineData("https://sts.windows.net/99999999-2222-3333-4444-555555555555/", BotTenant, BotTenant, IssuerKind.Unknown)] // issuer of another tenant
    [InlineData("https://login.microsoftonline.com/" + BotTenant + "/v2.0", null, BotTenant, IssuerKind.Unknown)] // no tid claim
    [InlineData("", null, null, IssuerKind.Unknown)]
    [InlineData(null, null, null, IssuerKind.Unknown)]
    public void Issuers_are_classified_exactly(string? issuer, string? tid, string? botTenant, IssuerKind expected)
    {
        Assert.Equal(expected, BotFrameworkIssuers.Classify(issuer, tid, botTenant));
    }

    [Theory]
    [InlineData("1.0", "app-v1", "app-v2", "app-v1")]
    [InlineData("2.0", "app-v1", "app-v2", "app-v2")]
    [InlineData(null, "app-v1", "app-v2", null)]
    public void Caller_app_id_comes_from_appid_or_azp_by_token_version(string? version, string appId, string azp, string? expected)
    {
        Assert.Equal(expected, BotFrameworkIssuers.CallerAppId(version, appId, azp));
    }

    [Theory]
    [InlineData(new string[0], "msteams", true)]
    [InlineData(new[] { "msteams", "skype" }, "msteams", true)]
    [InlineData(new[] { "skype" }, "msteams", false)]
    [InlineData(new[] { "MSTEAMS" }, "msteams", false)]
    [InlineData(new[] { "msteams" }, null, false)]
    [InlineData(new[] { "msteams" }, "", false)]
    public void Endorsements_must_name_the_channel_when_present(string[] endorsements, string? channel, bool allowed)
    {
        Assert.Equal(allowed, InboundAuthRules.EndorsementsAllow(endorsements, channel));
    }

    [Theory]
    [InlineData("https://smba.trafficmanager.net/amer/", "https://smba.trafficmanager.net/amer/", true, true)]
    [InlineData("https://smba.trafficmanager.net/amer/", "https://smba.trafficmanager.net/amer", true, false)]
    [InlineData("https://smba.trafficmanager.net/amer/", "https://evil.example/amer/", true, false)]
    [InlineData(null, "https://smba.trafficmanager.net/amer/", true, false)]
    [InlineData(null, "http://localhost:3978/", false, true)] // Emulator token: no claim to compare
    [InlineData("https://smba.trafficmanager.net/amer/", null, true, false)]
    [InlineData("https://smba.trafficmanager.net/amer/", null, false, false)]
    public void Service_url_must_equal_the_token_claim(string? claim, string? activity, bool required, bool matches)
    {
        Assert.Equal(matches, InboundAuthRules.ServiceUrlMatches(claim, activity, required));
    }

    [Theory]
    [InlineData("<at>My Combined</at>1\n", "28:bot", "1")]
    [InlineData("<at>KpiBot</at> log booked 5 held 3", "28:bot", "log booked 5 held 3")]
    [InlineData("log booked 5 <at>KpiBot</at>", "28:bot", "log booked 5")]
    [InlineData("<at>KpiBot</at>\u00a0my stats", "28:bot", "my stats")]
    [InlineData("<at>KpiBot</at> how is <at>Anna</at> trending", "28:bot", "how is <at>Anna</at> trending")] // others stay
    [InlineData("<at>KpiBot</at> help", "28:someone-else", "<at>KpiBot</at> help")] // mention of another bot
    [InlineData("help", "28:bot", "help")]
    public void Only_the_bots_own_mention_is_removed(string text, string botId, string expected)
    {
        var entities = JsonSerializer.Deserialize<List<JsonElement>>("""
            [
              {"type":"mention","mentioned":{"id":"28:bot","name":"KpiBot"},"text":"<at>KpiBot</at>"},
              {"type":"mention","mentioned":{"id":"28:bot","name":"My Combined"},"text":"<at>My Combined</at>"},
              {"type":"mention","mentioned":{"id":"29:anna","name":"Anna"},"text":"<at>Anna</at>"},
              {"type":"clientInfo","locale":"en-US"}
            ]
            """)!;
        Assert.Equal(expected, TeamsActivityMapper.StripBotMention(text, entities, botId));
    }

    [Theory]
    [InlineData("""{"command":"funnel for Anna"}""", null, "funnel for Anna", null)]
    [InlineData("""{"command":"  team  ","x":"1"}""", "command", "team", null)]
    [InlineData("""{"formId":"log","booked":"5","held":3,"msteams":{"type":"messageBack"}}""", null, "", "log")]
    [InlineData("""{"key":"value"}""", "my stats", "my stats", null)] // Execute verb as a command when data has none
    public void Card_data_becomes_a_command_or_a_form(string json, string? verb, string text, string? formId)
    {
        var data = JsonSerializer.Deserialize<JsonElement>(json);
        var result = TeamsActivityMapper.ReadCardData(data, verb);
        Assert.NotNull(result);
        Assert.Equal(text, result!.Value.Text);
        Assert.Equal(formId, result.Value.Form?.FormId);
        if (formId is not null)
        {
            Assert.Equal(new Dictionary<string, string> { ["booked"] = "5", ["held"] = "3" }, result.Value.Form!.Values);
        }
    }

    [Theory]
    [InlineData("""{"key":"value"}""", null)]
    [InlineData("""{"key":"value"}""", "command")]
    [InlineData("[1,2]", null)]
    public void Card_data_without_a_command_or_form_is_not_a_message(string json, string? verb)
    {
        Assert.Null(TeamsActivityMapper.ReadCardData(JsonSerializer.Deserialize<JsonElement>(json), verb));
    }

    [Theory]
    [InlineData("https://smba.trafficmanager.net/amer/", "a:1xyz", null, "https://smba.trafficmanager.net/amer/v3/conversations/a%3A1xyz/activities")]
    [InlineData("https://smba.trafficmanager.net/amer", "a:1xyz", null, "https://smba.trafficmanager.net/amer/v3/conversations/a%3A1xyz/activities")]
    [InlineData("https://smba.trafficmanager.net/amer/56653e9d-2158-46ee-90d7-675c39642038/", "19:abc@thread.tacv2;messageid=17", "17",
        "https://smba.trafficmanager.net/amer/56653e9d-2158-46ee-90d7-675c39642038/v3/conversations/19%3Aabc%40thread.tacv2%3Bmessageid%3D17/activities/17")]
    [InlineData("https://smba.trafficmanager.net/amer/", "a:1", "1:1TWm/x", "https://smba.trafficmanager.net/amer/v3/conversations/a%3A1/activities/1%3A1TWm%2Fx")]
    public void Connector_urls_append_to_the_opaque_service_url_and_escape_ids(string serviceUrl, string conversation, string? replyTo, string expected)
    {
        Assert.Equal(expected, ConnectorClient.ActivitiesUri(serviceUrl, conversation, replyTo).AbsoluteUri);
    }

    [Theory]
    [InlineData("19:abc@thread.tacv2;messageid=1759881511856", "19:abc@thread.tacv2")]
    [InlineData("19:abc@thread.tacv2", "19:abc@thread.tacv2")]
    [InlineData("a:1VF4K2uXl", "a:1VF4K2uXl")]
    public void Channel_threads_are_stored_as_their_channel(string conversationId, string expected)
    {
        Assert.Equal(expected, ConversationReferences.BaseConversationId(conversationId));
    }
}
