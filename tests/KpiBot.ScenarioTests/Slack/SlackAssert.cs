using System.Text.Json.Nodes;
using KpiBot.Channels.Slack;

namespace KpiBot.ScenarioTests.Slack;

/// <summary>Assertions over what KpiBot sent to Slack.</summary>
public static class SlackAssert
{
    /// <summary>Every message and view KpiBot sent stays inside Block Kit's limits and has a text fallback.</summary>
    public static void WithinBlockKitLimits(FakeSlackApi slack)
    {
        var checkedAny = false;
        foreach (var call in slack.VisibleCalls)
        {
            var json = call.Json;
            var (text, blocks, max) = call.Method switch
            {
                "views.open" or "views.publish" => ("view", json["view"]!["blocks"] as JsonArray ?? [], SlackBlockKitLimits.MaxViewBlocks),
                _ => ((string?)json["text"] ?? "", json["blocks"] as JsonArray ?? [], SlackBlockKitLimits.MaxMessageBlocks),
            };
            var problems = SlackBlockKitLimits.Violations(text, blocks, max);
            Assert.True(problems.Count == 0, $"{call.Method} broke Block Kit limits: {string.Join("; ", problems)}");
            checkedAny = true;
        }
        Assert.True(checkedAny, "nothing visible was sent to Slack");
    }
}
